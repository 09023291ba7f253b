package org.peopleseg.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.render.ImageWriter;
import org.peopleseg.core.render.OverlayRenderer;
import org.peopleseg.core.result.CocoResultsWriter;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.Instance;
import org.peopleseg.core.result.PerImageJson;
import org.peopleseg.models.PackagedSegmenter;
import org.peopleseg.models.Segmenters;
import org.peopleseg.models.TestTimeAugmentation;
import org.peopleseg.runtime.session.SessionSettings;

/**
 * One inference run over a list of images: the work of {@code peopleseg infer} (and of the demo).
 *
 * <p>Writes into the output directory: {@code results.json} (COCO results, compressed RLE), {@code images.json}
 * (id, file name, width, height of every image processed), {@code detections/NAME.json} and
 * {@code overlays/NAME.jpg|png} per image. Every file is written atomically. An image that cannot be read or
 * segmented is reported by name and skipped; the others are processed.
 */
final class InferRun {
    /** How long Ctrl-C waits for the current image and the results to be written. */
    static final long INTERRUPT_GRACE_SECONDS = 60;

    enum OverlayFormat {
        /** JPEG for JPEG inputs, PNG for the rest. */
        same, jpg, png
    }

    /**
     * @param threads       ONNX Runtime intra-op threads, 0 for its default
     * @param maxDetections keep at most this many of the best detections per image, 0 for all
     * @param overlayFormat null for no overlays
     */
    record Options(Path model, Path outputDir, double threshold, int threads, int maxDetections,
                   OverlayFormat overlayFormat, TestTimeAugmentation tta) {}

    /** What a run did. */
    record Summary(int images, int attempted, int processed, List<String> failures, long people, long detections, double seconds,
                   boolean interrupted) {
        double imagesPerSecond() {
            return seconds > 0 ? processed / seconds : 0;
        }
    }

    private final Options options;
    private final PrintWriter out;
    private final PrintWriter err;

    InferRun(Options options, PrintWriter out, PrintWriter err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the images and prints the closing summary.
     *
     * @param problems inputs that already failed (a glob matching nothing), reported with the failures
     * @return the exit code: {@link Main#OK}, or {@link Main#INPUTS_FAILED} if any input failed
     */
    int run(List<InputImage> images, List<String> problems) throws IOException {
        Path dir = options.outputDir();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw CliException.error(dir + ": exists and is not a directory");
        }
        // the directory is created with the first output, so a model that fails to load leaves nothing behind
        Summary summary;
        try (InterruptGuard guard = InterruptGuard.install(err, INTERRUPT_GRACE_SECONDS)) {
            summary = process(images, problems, guard);
            printSummary(summary);
        }
        return summary.failures().isEmpty() ? Main.OK : Main.INPUTS_FAILED;
    }

    private Summary process(List<InputImage> images, List<String> problems, InterruptGuard guard) throws IOException {
        Path dir = options.outputDir();
        err.println("Loading " + options.model() + " ...");
        err.flush();
        long t0 = System.nanoTime();
        try (PackagedSegmenter segmenter = Segmenters.open(options.model(), new SessionSettings(options.threads()),
                options.threshold(), options.tta());
             CocoResultsWriter results = CocoResultsWriter.open(dir.resolve("results.json"))) {
            describeModel(segmenter, System.nanoTime() - t0);
            List<String> failures = new ArrayList<>(problems);
            problems.forEach(p -> err.println("FAILED " + p));
            Progress progress = new Progress(err, images.size(), Progress.interactive());
            OverlayRenderer renderer = new OverlayRenderer();
            long people = 0;
            int done = 0;
            int processed = 0;
            boolean interrupted = false;
            long start = System.nanoTime();
            for (InputImage image : images) {
                if (guard.stopRequested()) {
                    interrupted = true;
                    break;
                }
                BufferedImage pixels;
                Detections detections;
                try {
                    pixels = ImageReader.read(image.file());
                    detections = best(segmenter.segment(pixels, image.fileName()), options.maxDetections());
                } catch (IOException | RuntimeException e) {
                    String message = failureMessage(image, e);
                    failures.add(message);
                    progress.message("FAILED " + message);
                    progress.update(++done, failures.size(), people);
                    continue;
                }
                results.add(image.id(), detections);
                PerImageJson.write(dir.resolve("detections").resolve(image.name() + ".json"), image.id(), detections);
                if (options.overlayFormat() != null) {
                    ImageWriter.write(renderer.render(pixels, detections),
                            dir.resolve("overlays").resolve(image.name() + overlayExtension(image)));
                }
                people += countPeople(detections);
                processed++;
                progress.update(++done, failures.size(), people);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            progress.finish();
            results.finish();
            results.writeImages(dir.resolve("images.json"));
            return new Summary(images.size(), done, processed, failures, people, results.detectionCount(), seconds,
                    interrupted);
        }
    }

    private void describeModel(PackagedSegmenter segmenter, long loadNanos) {
        var meta = segmenter.metadata();
        String details = String.format(Locale.ROOT, ": %s %s, input %dx%d, classes %s; weights: %s", meta.architecture(),
                meta.precision(), meta.inputWidth(), meta.inputHeight(), String.join(",", meta.labels()),
                meta.provenance()) + options.tta().describe("; ");
        boolean untrained = meta.untrained();
        err.println("Loaded in " + Units.seconds(loadNanos) + details);
        if (untrained) {
            err.println("WARNING: this model's weights are UNTRAINED: its detections are meaningless.");
        }
        err.flush();
    }

    private String overlayExtension(InputImage image) {
        return switch (options.overlayFormat()) {
            case jpg -> ".jpg";
            case png -> ".png";
            case same -> image.isJpeg() ? ".jpg" : ".png";
        };
    }

    /** The libraries' messages name the file already; make sure every failure does. */
    private static String failureMessage(InputImage image, Exception e) {
        String message = ErrorMessages.describe(e);
        return message.contains(image.fileName()) ? message : image.file() + ": " + message;
    }

    /** The first {@code max} instances (they are sorted by descending score); all when max is 0. */
    static Detections best(Detections d, int max) {
        if (max <= 0 || d.instances().size() <= max) {
            return d;
        }
        return new Detections(d.source(), d.width(), d.height(), d.instances().subList(0, max));
    }

    static long countPeople(Detections d) {
        return d.instances().stream().map(Instance::label).filter("person"::equalsIgnoreCase).count();
    }

    private void printSummary(Summary s) {
        Path dir = options.outputDir();
        String detections = s.detections() != s.people() ? " (" + s.detections() + " detections in all)" : "";
        out.printf(Locale.ROOT, "%s: %d image%s in %.1f s (%.2f images/s), %d %s found%s, %d failed%n",
                s.interrupted() ? "Interrupted" : "Done", s.processed(), s.processed() == 1 ? "" : "s", s.seconds(),
                s.imagesPerSecond(), s.people(), s.people() == 1 ? "person" : "people", detections,
                s.failures().size());
        if (s.interrupted()) {
            out.printf("Stopped after %d of %d images; the outputs cover the images processed.%n",
                    s.attempted(), s.images());
        }
        if (!s.failures().isEmpty()) {
            out.println("Failed:");
            s.failures().forEach(f -> out.println("  " + f));
        }
        out.println("Results: " + dir.resolve("results.json") + " (COCO results), " + dir.resolve("images.json")
                + ", " + dir.resolve("detections") + "/"
                + (options.overlayFormat() != null ? ", " + dir.resolve("overlays") + "/" : ""));
        out.flush();
    }
}
