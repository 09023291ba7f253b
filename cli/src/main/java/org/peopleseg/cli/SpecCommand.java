package org.peopleseg.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** {@code peopleseg spec ...}: the group of commands about TAO experiment specs. */
@Command(name = "spec",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {"Check TAO MaskRCNN experiment specs.",
                "",
                "A spec is protobuf text format: maskrcnn_config { ... }, data_config { ... } and the top-level "
                        + "experiment fields, as TAO and the PeopleSegNet model card write them."},
        subcommands = {SpecCheckCommand.class, CommandLine.HelpCommand.class})
final class SpecCommand implements Runnable {
    @CommandLine.Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: check");
    }
}
