package org.peopleseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.peopleseg.core.render.ImageWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code peopleseg demo}: the whole pipeline on a fresh machine, with nothing to download. Builds (once, cached) a
 * Mask R-CNN package with torchvision's conventions at 960x576 and deterministic untrained weights, then runs
 * {@code infer} on a few frames: sample COCO photos from the shared data when present, else drawn street scenes.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
                "Try the whole pipeline on this machine, nothing to download (untrained weights).",
                "",
                "Builds a Mask R-CNN package (torchvision conventions, ResNet-50 FPN, 960x576, classes background "
                        + "+ person) with deterministic UNTRAINED weights - cached, so only the first demo pays for "
                        + "it - and runs 'infer' on a few frames: COCO photos from the shared data (../shared or "
                        + "$PEOPLESEG_SHARED) when present, otherwise street scenes it draws.",
                "",
                "The weights are untrained, so the detections are meaningless: the demo shows that everything "
                        + "runs and what the outputs look like. For real detections build from a torchvision "
                        + "checkpoint (see 'peopleseg build --help').",
                ""})
final class DemoCommand implements Callable<Integer> {
    static final InputSize SIZE = new InputSize(960, 576);
    static final String MODEL_NAME = "maskrcnn-r50fpn-torchvision-960x576-person-untrained.onnx";
    static final String REAL_WEIGHTS_HINT = "peopleseg build --preset torchvision --weights "
            + "maskrcnn_resnet50_fpn_coco-bf2d0c1e.pth --classes person --output people.onnx";

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, defaultValue = "peopleseg-demo", paramLabel = "DIR",
            description = "Where the results go (default: ./${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--work", paramLabel = "DIR",
            description = "Where the demo model is built and kept (default: $XDG_CACHE_HOME/peopleseg or "
                    + "~/.cache/peopleseg).")
    Path work;

    @Option(names = "--frames", defaultValue = "3", paramLabel = "N",
            description = "How many frames to run (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--rebuild", description = "Build the demo model again even if it is cached.")
    boolean rebuild;

    // Untrained weights score drawn scenes at 0.3-0.5 and photos at 0.5-0.7: 0.3 shows boxes and masks on both.
    @Option(names = {"-t", "--threshold"}, defaultValue = "0.3", paramLabel = "SCORE",
            description = "Score threshold (default: ${DEFAULT-VALUE}; the untrained demo weights score low).")
    double threshold;

    @Option(names = "--max-detections", defaultValue = "5", paramLabel = "N",
            description = "Keep the N best detections per frame (default: ${DEFAULT-VALUE}; untrained weights "
                    + "score many boxes alike, and a few keep the overlays readable).")
    int maxDetections;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "ONNX Runtime threads (default: 0 = one per physical core).")
    int threads;

    @Override
    public Integer call() throws IOException {
        InferCommand.checkRanges(spec.commandLine(), threshold, threads);
        if (frames < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--frames must be 1 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.println("peopleseg demo: Mask R-CNN (ResNet-50 FPN, torchvision conventions, 960x576) with UNTRAINED "
                + "deterministic weights, end to end on " + frames + " frame" + (frames == 1 ? "" : "s") + ".");
        out.flush();
        Path model = demoModel(err, out);
        List<Path> images = frames(out);
        var options = new InferRun.Options(model, output, threshold, threads, Math.max(0, maxDetections),
                InferRun.OverlayFormat.same);
        int code = new InferRun(options, out, err).run(InputImage.assign(images), List.of());
        out.println();
        out.println("NOTE: the weights are UNTRAINED (a deterministic formula), so these detections are meaningless;");
        out.println("the demo shows that the pipeline runs and what it writes (see " + output + "/overlays).");
        out.println("For real people segmentation, build from torchvision's COCO checkpoint (178 MB, "
                + "download.pytorch.org/models/maskrcnn_resnet50_fpn_coco-bf2d0c1e.pth):");
        out.println("  " + REAL_WEIGHTS_HINT);
        out.println("  peopleseg infer --model people.onnx --input photos/ --output results/");
        out.flush();
        return code;
    }

    /** The cached demo package, built first if missing. */
    private Path demoModel(PrintWriter log, PrintWriter out) throws IOException {
        Path dir = work != null ? work : defaultWorkDir();
        Path model = dir.resolve(MODEL_NAME);
        if (Files.isRegularFile(model) && !rebuild) {
            out.println("Model: " + model + " (cached; --rebuild builds it again)");
            out.flush();
            return model;
        }
        out.println("Model: building " + model + " (once; about 10 s and 180 MB) ...");
        out.flush();
        ModelDefinition def = ModelDefinition.torchvision(SIZE, 2);
        new ModelBuilder(log).build(def, ClassSelection.coco(List.of("person")), null, null, model);
        return model;
    }

    static Path defaultWorkDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("peopleseg");
    }

    /** Sample photos from the shared data, or drawn scenes written under the output directory. */
    private List<Path> frames(PrintWriter out) throws IOException {
        Path photos = sharedImages();
        if (photos != null) {
            try (Stream<Path> s = Files.list(photos)) {
                List<Path> found = s.filter(InputFiles::isImageName).sorted().limit(frames).toList();
                if (found.size() == frames) {
                    out.println("Frames: " + frames + " COCO val2017 photos from " + photos + " (Flickr licences: "
                            + "see annotations.json there)");
                    out.flush();
                    return found;
                }
            }
        }
        List<Path> drawn = new ArrayList<>();
        for (int i = 1; i <= frames; i++) {
            Path f = output.resolve("frames").resolve("synthetic-" + i + ".png");
            ImageWriter.write(SyntheticImages.scene(SIZE.width(), SIZE.height(), i), f);
            drawn.add(f);
        }
        out.println("Frames: " + frames + " drawn street scene" + (frames == 1 ? "" : "s") + " in " + output.resolve("frames")
                + " (no sample photos found; set PEOPLESEG_SHARED to the shared data directory to use COCO photos)");
        out.flush();
        return drawn;
    }

    /**
     * {@code data/coco-person/images} of the shared data: {@code $PEOPLESEG_SHARED}, the {@code peopleseg.shared}
     * property, {@code ../shared} next to the installation ({@code peopleseg.home}, set by bin/peopleseg), or
     * {@code ../shared} from the working directory; null if none has it.
     */
    static Path sharedImages() {
        List<Path> roots = new ArrayList<>();
        String env = System.getenv("PEOPLESEG_SHARED");
        if (env != null && !env.isBlank()) {
            roots.add(Path.of(env));
        }
        String prop = System.getProperty("peopleseg.shared");
        if (prop != null && !prop.isBlank()) {
            roots.add(Path.of(prop));
        }
        String home = System.getProperty("peopleseg.home");
        if (home != null && !home.isBlank()) {
            roots.add(Path.of(home).resolve("../shared"));
        }
        roots.add(Path.of("../shared"));
        for (Path root : roots) {
            Path images = root.resolve("data/coco-person/images").normalize();
            if (Files.isDirectory(images)) {
                return images;
            }
        }
        return null;
    }
}
