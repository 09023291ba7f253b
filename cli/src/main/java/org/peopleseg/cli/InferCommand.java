package org.peopleseg.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.peopleseg.models.TestTimeAugmentation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code peopleseg infer}: segment people in images and write COCO results, per-image JSON and overlays. */
@Command(name = "infer",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
                "Segment people in images: COCO results, per-image JSON and overlays.",
                "",
                "Finds every person (box, score, full-resolution mask). Writes into the output directory:",
                "  results.json          COCO results, masks as compressed RLE (pycocotools)",
                "  images.json           id, file_name, width, height of each image",
                "  detections/NAME.json  per image: boxes (x1,y1,x2,y2 and COCO x,y,w,h), masks",
                "  overlays/NAME.jpg     per image: masks, boxes and scores drawn",
                "",
                "Image ids: a file named by a number, as in COCO (000000081394.jpg), gets that number, so "
                        + "results.json can be evaluated against COCO annotations; other files get the smallest "
                        + "unused id from 1 up, in input order (failed inputs included, so fixing one file changes "
                        + "no other id).",
                "",
                "An image that cannot be read is reported by name and skipped (exit code 1); the others are "
                        + "processed. Every file is written atomically, and Ctrl-C finishes the current image and "
                        + "writes the results so far: no half-written file is left behind.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  peopleseg infer --model people.onnx --input photos/ --output out/",
                "  peopleseg infer -m people.onnx -i 'frames/*.jpg' -o out/ --threshold 0.7 --no-overlays"})
final class InferCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL",
            description = "A model package ('peopleseg build' / 'import') or a catalogue name such as "
                    + "yolo11n-seg (pulled when not cached; 'peopleseg models available').")
    Path model;

    @Option(names = {"-i", "--input"}, required = true, arity = "1..*", paramLabel = "IMAGE|DIR|GLOB",
            description = "Images: files, directories (their JPEG, PNG, BMP and GIF files, not recursive) or "
                    + "quoted globs such as 'frames/*.jpg' or 'data/**/*.png'. Repeatable.")
    List<String> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
            description = "Directory for the outputs (created if needed; existing files of the same name are "
                    + "replaced).")
    Path output;

    @Option(names = {"-t", "--threshold"}, defaultValue = "0.5", paramLabel = "SCORE",
            description = "Keep detections scoring above this (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--max-detections", defaultValue = "0", paramLabel = "N",
            description = "Keep at most the N best detections per image (default: 0 = all the model returns; "
                    + "its own limit is the spec's test_detections_per_image).")
    int maxDetections;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "ONNX Runtime threads (default: 0 = one per physical core).")
    int threads;

    @Option(names = "--tta", defaultValue = "none", paramLabel = "AUG",
            description = "Test-time augmentation: none or flip (yolo-seg only: also runs the mirrored image and "
                    + "fuses both views' detections; twice the inference time). Default: ${DEFAULT-VALUE}.")
    TestTimeAugmentation tta;

    @Option(names = "--overlays", defaultValue = "same", paramLabel = "FORMAT",
            description = "Overlay image format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: JPEG for "
                    + "JPEG inputs, PNG for others).")
    InferRun.OverlayFormat overlayFormat;

    @Option(names = "--no-overlays", description = "Do not draw overlays (faster on large runs).")
    boolean noOverlays;

    @Override
    public Integer call() throws IOException {
        checkRanges(spec.commandLine(), threshold, threads);
        InputFiles.Expansion expansion = InputFiles.expand(inputs);
        if (expansion.files().isEmpty()) {
            throw CliException.error("no input images:\n  " + String.join("\n  ", expansion.problems()));
        }
        if (maxDetections < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-detections must be 0 (all) or more");
        }
        Path resolved = ModelCatalogAccess.resolveModel(model, spec.commandLine().getErr());
        var options = new InferRun.Options(resolved, output, threshold, threads, maxDetections,
                noOverlays ? null : overlayFormat, tta);
        return new InferRun(options, spec.commandLine().getOut(), spec.commandLine().getErr())
                .run(InputImage.assign(expansion.files()), expansion.problems());
    }

    /** Usage errors for a threshold outside [0, 1] or a negative thread count. */
    static void checkRanges(CommandLine cl, double threshold, int threads) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new CommandLine.ParameterException(cl, "--threshold must be between 0 and 1, got " + threshold);
        }
        if (threads < 0) {
            throw new CommandLine.ParameterException(cl, "--threads must be 0 (automatic) or more, got " + threads);
        }
    }
}
