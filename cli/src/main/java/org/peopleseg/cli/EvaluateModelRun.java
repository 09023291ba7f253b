package org.peopleseg.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.peopleseg.core.Segmenter;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;
import org.peopleseg.core.dataset.CocoImage;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.result.CocoResultsWriter;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.Instance;
import org.peopleseg.models.PackagedSegmenter;
import org.peopleseg.models.Segmenters;
import org.peopleseg.models.TestTimeAugmentation;
import org.peopleseg.runtime.session.SessionSettings;

/**
 * The model half of {@code peopleseg evaluate --model}: runs the model over every ground-truth image found in the
 * image folder by {@code file_name}, writes {@code results.json} (COCO results, compressed RLE) and keeps the
 * detections for evaluation. An image that is missing, unreadable or of another size than the annotations say is
 * reported by name and counted as a failure; the others are processed. Ctrl-C stops after the current image and
 * the images done so far are evaluated.
 */
final class EvaluateModelRun {

    /**
     * @param detections  in image order, as the results file lists them
     * @param processed   the images the model ran on
     * @param failures    one message per image that failed, naming its file
     * @param description the model: file, architecture, input size, the weights' provenance
     * @param untrained   the provenance says the weights are untrained (deterministic formula)
     */
    record Outcome(List<CocoDetection> detections, List<CocoImage> processed, List<String> failures,
            String description, boolean untrained, boolean interrupted, double seconds) {
    }

    private EvaluateModelRun() {
    }

    /**
     * @param minScore  detections kept from the model (low, so COCO AP sees the whole precision/recall curve)
     * @param threshold the KPI threshold, for the progress line's people count
     */
    static Outcome run(Path model, int threads, TestTimeAugmentation tta, double minScore, double threshold, CocoDataset groundTruth,
            Path imageDir, Path resultsFile, PrintWriter err) throws IOException {
        err.println("Loading " + model + " ...");
        err.flush();
        long t0 = System.nanoTime();
        List<CocoImage> images = groundTruth.images();
        List<CocoDetection> detections = new ArrayList<>();
        List<CocoImage> processed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        boolean interrupted = false;
        String description;
        boolean untrained;
        double seconds;
        try (InterruptGuard guard = InterruptGuard.install(err, InferRun.INTERRUPT_GRACE_SECONDS);
             PackagedSegmenter segmenter = Segmenters.open(model, new SessionSettings(threads), minScore, tta);
             CocoResultsWriter results = CocoResultsWriter.open(resultsFile)) {
            description = describe(model, segmenter) + tta.describe("; ");
            untrained = isUntrained(segmenter);
            err.println("Loaded in " + Units.seconds(System.nanoTime() - t0) + ": " + description);
            if (untrained) {
                err.println("WARNING: this model's weights are UNTRAINED: its detections are meaningless and the "
                        + "numbers are NOT the product's accuracy.");
            }
            err.println("Running the model over " + images.size() + " image" + (images.size() == 1 ? "" : "s")
                    + " of " + imageDir + " ...");
            err.flush();
            Progress progress = new Progress(err, images.size(), Progress.interactive());
            long people = 0;
            int done = 0;
            long start = System.nanoTime();
            for (CocoImage image : images) {
                if (guard.stopRequested()) {
                    interrupted = true;
                    break;
                }
                Detections found;
                try {
                    found = segment(segmenter, image, imageDir);
                } catch (IOException | RuntimeException e) {
                    String message = failureMessage(image, imageDir, e);
                    failures.add(message);
                    progress.message("FAILED " + message);
                    progress.update(++done, failures.size(), people);
                    continue;
                }
                results.add(image.id(), found);
                for (Instance inst : found.instances()) {
                    detections.add(CocoDetection.fromInstance(image.id(), inst));
                    if (inst.score() >= threshold && "person".equalsIgnoreCase(inst.label())) {
                        people++;
                    }
                }
                processed.add(image);
                progress.update(++done, failures.size(), people);
            }
            progress.finish();
            seconds = (System.nanoTime() - start) / 1e9;
            results.finish();
        }
        return new Outcome(List.copyOf(detections), List.copyOf(processed), List.copyOf(failures), description,
                untrained, interrupted, seconds);
    }

    private static Detections segment(Segmenter segmenter, CocoImage image, Path imageDir) throws IOException {
        if (image.fileName().isBlank()) {
            throw new IOException("image id " + image.id() + " has no file_name in the annotations");
        }
        Path file = imageDir.resolve(image.fileName());
        BufferedImage pixels = ImageReader.read(file);
        if (pixels.getWidth() != image.width() || pixels.getHeight() != image.height()) {
            throw new IOException(file + ": the image is " + pixels.getWidth() + "x" + pixels.getHeight()
                    + " but the annotations say " + image.width() + "x" + image.height() + " (image id "
                    + image.id() + ")");
        }
        return segmenter.segment(pixels, image.fileName());
    }

    private static String failureMessage(CocoImage image, Path imageDir, Exception e) {
        String message = ErrorMessages.describe(e);
        return message.contains(image.fileName()) && !image.fileName().isBlank() ? message
                : imageDir.resolve(image.fileName()) + ": " + message;
    }

    /** "model.onnx: maskrcnn fp32, input 960x576; weights: ..." from the package's metadata when it is readable. */
    static String describe(Path model, PackagedSegmenter segmenter) {
        var meta = segmenter.metadata();
        return String.format(Locale.ROOT, "%s: %s %s, input %dx%d; weights: %s", model.getFileName(),
                meta.architecture(), meta.precision(), meta.inputWidth(), meta.inputHeight(), meta.provenance());
    }

    static boolean isUntrained(PackagedSegmenter segmenter) {
        return segmenter.metadata().untrained();
    }

}
