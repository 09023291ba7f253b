package org.peopleseg.train.run;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;
import org.peopleseg.core.dataset.CocoImage;
import org.peopleseg.core.eval.CocoEvalResult;
import org.peopleseg.core.eval.IouType;
import org.peopleseg.core.eval.Kpi;
import org.peopleseg.core.eval.MetricsReport;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.result.CocoResultsWriter;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.Instance;
import org.peopleseg.models.PackagedSegmenter;
import org.peopleseg.models.Segmenters;
import org.peopleseg.runtime.session.SessionSettings;

/**
 * Evaluates a model package on a validation set as {@code peopleseg evaluate --model} does: ONNX Runtime over the
 * images (detections down to score {@value #MIN_SCORE}), then the project's evaluator — COCO AP identical to
 * pycocotools, the card's KPIs at {@value #THRESHOLD} and at the best-F1 operating point. For any architecture:
 * the trainers build their checkpoint into an ordinary package and hand it here, so the numbers are the inference
 * engine's, not the training network's.
 *
 * <p>Writes {@code DIR/metrics.json} (the evaluate command's format) and {@code DIR/results.json}.
 */
public final class PackageValidation {
    /** Detections kept for COCO AP, as {@code evaluate --min-score}. */
    public static final double MIN_SCORE = 0.05;
    /** The KPI threshold, as {@code evaluate --threshold}. */
    public static final double THRESHOLD = 0.5;

    private final CocoDataset groundTruth;
    private final Path imageDir;
    private final int threads;
    private final Consumer<String> log;

    public PackageValidation(CocoDataset groundTruth, Path imageDir, int threads, Consumer<String> log) {
        if (groundTruth.images().isEmpty()) {
            throw new IllegalArgumentException(groundTruth.source() + ": no validation images");
        }
        this.groundTruth = groundTruth;
        this.imageDir = imageDir;
        this.threads = threads;
        this.log = log;
    }

    public int images() {
        return groundTruth.images().size();
    }

    /**
     * @return headline numbers: {@code bbox_AP}, {@code bbox_AP50}, {@code bbox_precision}/{@code _recall} at the
     *         threshold, {@code bbox_best_f1_precision}/{@code _recall}/{@code _accuracy}/{@code _threshold}, the
     *         same with {@code segm_} when masks are evaluated, and {@code images_failed} when some failed
     */
    public Map<String, Double> evaluate(Path model, Path dir) throws IOException {
        return evaluate(groundTruth, imageDir, threads, log, model, dir, true);
    }

    /**
     * The evaluation itself, for {@link PackageEvaluator} too (whose headline leaves out the best-F1 point and
     * whose validation set may be empty).
     */
    static Map<String, Double> evaluate(CocoDataset groundTruth, Path imageDir, int threads, Consumer<String> log,
            Path model, Path dir, boolean bestF1Headline) throws IOException {
        Files.createDirectories(dir);
        List<CocoDetection> detections = new ArrayList<>();
        int failed = 0;
        try (PackagedSegmenter segmenter = Segmenters.open(model, new SessionSettings(threads), MIN_SCORE);
             CocoResultsWriter results = CocoResultsWriter.open(dir.resolve("results.json"))) {
            for (CocoImage image : groundTruth.images()) {
                Path file = imageDir.resolve(image.fileName());
                Detections found;
                try {
                    BufferedImage pixels = ImageReader.read(file);
                    found = segmenter.segment(pixels, image.fileName());
                } catch (IOException | RuntimeException e) {
                    failed++;
                    log.accept("evaluation: skipped " + file + ": " + e.getMessage());
                    continue;
                }
                results.add(image.id(), found);
                for (Instance inst : found.instances()) {
                    detections.add(CocoDetection.fromInstance(image.id(), inst));
                }
            }
            results.finish();
        }
        MetricsReport metrics = MetricsReport.compute(groundTruth, detections, THRESHOLD, null);
        metrics.write(dir.resolve("metrics.json"));
        Map<String, Double> headline = new LinkedHashMap<>();
        for (IouType type : List.of(IouType.BBOX, IouType.SEGM)) {
            metrics.section(type).ifPresent(s -> {
                CocoEvalResult c = s.coco();
                String p = type == IouType.BBOX ? "bbox_" : "segm_";
                headline.put(p + "AP", c.stats()[0]);
                headline.put(p + "AP50", c.stats()[1]);
                headline.put(p + "precision", s.kpi().precision());
                headline.put(p + "recall", s.kpi().recall());
                if (bestF1Headline && s.bestF1().isPresent()) {
                    Kpi b = s.bestF1().get();
                    headline.put(p + "best_f1_precision", b.precision());
                    headline.put(p + "best_f1_recall", b.recall());
                    headline.put(p + "best_f1_accuracy", b.accuracy());
                    headline.put(p + "best_f1_threshold", b.threshold());
                }
            });
        }
        if (failed > 0) {
            headline.put("images_failed", (double) failed);
        }
        return headline;
    }
}
