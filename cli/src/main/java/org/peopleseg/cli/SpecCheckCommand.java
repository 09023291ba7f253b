package org.peopleseg.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.models.spec.SpecException;
import org.peopleseg.models.spec.SpecParser;
import org.peopleseg.models.spec.SpecReport;
import org.peopleseg.models.spec.SpecResolver;
import org.peopleseg.models.spec.TaoSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code peopleseg spec check SPEC}: parse, validate and resolve a spec, then print the architecture it defines. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
                "Validate a spec and print the architecture it defines.",
                "",
                "Parses and validates a TAO MaskRCNN experiment spec and prints the architecture it resolves to: input "
                        + "transform, backbone, pyramid levels with strides, the anchors of every level, RPN, "
                        + "RoIAlign, heads and test-time limits.",
                "",
                "Every problem (unknown field, bad value, malformed tuple string such as aspect_ratios) is "
                        + "reported as FILE:LINE:COLUMN: message, and the exit code is 2.",
                ""})
final class SpecCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SPEC", description = "The spec file, e.g. the PeopleSegNet model card's spec.")
    Path specFile;

    @Override
    public Integer call() throws IOException {
        TaoSpec parsed = parse(specFile);
        MaskRcnnConfig config = SpecResolver.resolve(parsed);
        parsed.notes().forEach(note -> spec.commandLine().getOut().println("note: " + note));
        spec.commandLine().getOut().print(SpecReport.describe(config));
        spec.commandLine().getOut().flush();
        return Main.OK;
    }

    /** Parses a spec, turning its problems (one per line, with line:column) into a usage-class error. */
    static TaoSpec parse(Path file) throws IOException {
        try {
            return SpecParser.parse(file);
        } catch (SpecException e) {
            int n = e.problems().size();
            throw new CliException(Main.ERROR, (n == 1 ? "invalid spec:\n" : n + " problems in the spec:\n")
                    + e.getMessage(), e);
        }
    }
}
