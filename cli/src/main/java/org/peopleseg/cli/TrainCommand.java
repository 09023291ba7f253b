package org.peopleseg.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code peopleseg train}: fine-tunes (or trains) the Mask R-CNN from a TAO experiment spec. The training engine
 * (DJL + libtorch, ~450 MB) lives in the train module, which the CLI's own class path leaves out so inference users
 * do not carry it; the launcher adds it for this command only. This class touches no train class, so it loads and
 * explains itself without them; {@link TrainRun} does the work.
 */
@Command(name = "train",
        mixinStandardHelpOptions = false,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
                "Train the Mask R-CNN from a TAO MaskRCNN experiment spec on COCO data.",
                "",
                "Honours the spec's training fields with TAO's meaning (schedule, SGD, augmentation, anchor matching, "
                        + "sampling, loss weights, freeze_blocks); a field that cannot be honoured is an error at its "
                        + "line and column. Writes into the run folder: train.jsonl (a line per step), "
                        + "checkpoints/ (every num_steps_per_eval steps), eval/STEP/ (COCO AP and KPIs of each "
                        + "checkpoint on the validation set), report.html, and model.onnx (an ordinary package).",
                "",
                "Ctrl-C writes a checkpoint and stops; --resume continues exactly where it stopped.",
                "",
                "To fine-tune a YOLO-seg package instead, give --model PACKAGE.onnx (no --spec): "
                        + "'peopleseg train --model yolo.onnx --help' lists that trainer's options. Both write the "
                        + "same run folder: train.jsonl, checkpoints/step-N.ckpt, eval/STEP/, report.html, model.onnx.",
                ""})
final class TrainCommand implements Callable<Integer> {
    static final String TRAINER_CLASS = "org.peopleseg.train.run.Trainer";

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, description = "Show this help (with --model: the YOLO-seg trainer's).")
    boolean help;

    @Option(names = {"-s", "--spec"}, paramLabel = "SPEC",
            description = "TAO experiment spec (maskrcnn_config alone is enough: PeopleSegNet's data defaults fill the rest).")
    Path specFile;

    @Option(names = {"-m", "--model"}, paramLabel = "PACKAGE",
            description = "Fine-tune this YOLO-seg package instead (no --spec): the YOLO-seg trainer's options apply.")
    Path yoloModel;

    /** The YOLO-seg trainer's own options, handed to it as they were typed. */
    @Unmatched
    List<String> yoloArgs = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "The run folder.")
    Path output;

    @Option(names = {"-w", "--weights"}, paramLabel = "START",
            description = "Start weights: a torchvision Mask R-CNN checkpoint (.pth) or a peopleseg package (.onnx); "
                    + "overrides the spec's checkpoint. Without either: from the network's initialisation.")
    Path weights;

    @Option(names = "--resume", description = "Continue the run in --output from its newest checkpoint.")
    boolean resume;

    @Option(names = "--train-annotations", paramLabel = "GT.json", description = "COCO instances json of the training set.")
    Path trainAnnotations;

    @Option(names = "--train-images", paramLabel = "DIR", description = "Folder of the training images (default: the json's folder).")
    Path trainImages;

    @Option(names = "--val-annotations", paramLabel = "GT.json",
            description = "COCO json of the validation set (default: the spec's data_config.val_json_file).")
    Path valAnnotations;

    @Option(names = "--val-images", paramLabel = "DIR", description = "Folder of the validation images.")
    Path valImages;

    @Option(names = "--train-ids", paramLabel = "MOD:REM",
            description = "Use only training images with id %% MOD == REM (coco-person: 4:0 is the train half).")
    String trainIds;

    @Option(names = "--train-limit", defaultValue = "0", paramLabel = "N", description = "Use the first N training images.")
    int trainLimit;

    @Option(names = "--val-ids", paramLabel = "MOD:REM", description = "Validate only on images with id %% MOD == REM.")
    String valIds;

    @Option(names = "--val-limit", defaultValue = "0", paramLabel = "N", description = "Validate on the first N images.")
    int valLimit;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "CPU threads (0: all cores).")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (yoloModel != null) {
            if (specFile != null) {
                throw CliException.error("give --spec (Mask R-CNN) or --model (YOLO-seg), not both");
            }
            requireTrainer(YoloTrainRun.COMMAND_CLASS);
            return YoloTrainRun.run(spec.commandLine().getParseResult().originalArgs(), spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }
        if (help) {
            spec.commandLine().usage(spec.commandLine().getOut());
            return Main.OK;
        }
        if (!yoloArgs.isEmpty()) {
            throw new picocli.CommandLine.UnmatchedArgumentException(spec.commandLine(), yoloArgs);
        }
        if (specFile == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Missing required option: '--spec=SPEC' (Mask R-CNN) or '--model=PACKAGE' (YOLO-seg)");
        }
        if (output == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Missing required option: '--output=DIR'");
        }
        requireTrainer(TRAINER_CLASS);
        return TrainRun.run(this, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    private static void requireTrainer(String className) {
        try {
            Class.forName(className, false, TrainCommand.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw CliException.error("the training engine is not on the class path: run 'peopleseg train' through "
                    + "bin/peopleseg after building the train module (mvn -B -q -DskipTests install builds it; the "
                    + "launcher adds train/target/classes and train/target/lib/*)");
        }
    }

    /** "4:0" to {mod, rem}; null for none. */
    static int[] ids(String option, String value) {
        if (value == null) {
            return new int[] {0, 0};
        }
        String[] parts = value.split(":");
        try {
            int mod = Integer.parseInt(parts[0].trim());
            int rem = Integer.parseInt(parts[1].trim());
            if (parts.length != 2 || mod <= 0 || rem < 0 || rem >= mod) {
                throw new NumberFormatException();
            }
            return new int[] {mod, rem};
        } catch (RuntimeException e) {
            throw CliException.error(option + " must be MOD:REM with 0 <= REM < MOD, e.g. 4:0; got " + value);
        }
    }
}
