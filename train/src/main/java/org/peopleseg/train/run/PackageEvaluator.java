package org.peopleseg.train.run;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;
import org.peopleseg.core.dataset.CocoImage;
import org.peopleseg.core.eval.CocoEvalResult;
import org.peopleseg.core.eval.IouType;
import org.peopleseg.core.eval.MetricsReport;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.result.CocoResultsWriter;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.Instance;
import org.peopleseg.models.PackagedSegmenter;
import org.peopleseg.models.Segmenters;
import org.peopleseg.models.maskrcnn.MaskRcnnPackage;
import org.peopleseg.models.maskrcnn.WeightTensor;
import org.peopleseg.runtime.session.SessionSettings;
import org.peopleseg.train.data.ImageSelection;
import org.peopleseg.train.spec.TrainingConfig;

/**
 * Evaluates a checkpoint the way a user would evaluate the finished model: its weights are built into an ordinary
 * ONNX package by the project's builder, the package runs over the validation images in ONNX Runtime (as
 * {@code peopleseg evaluate --model} does: detections down to score 0.05), and the existing evaluator computes
 * COCO AP (pycocotools' numbers) and the card's KPIs at the deployment threshold. So the numbers are those of the
 * inference engine, not of the training network.
 *
 * <p>Writes {@code DIR/metrics.json} (the evaluate command's format) and {@code DIR/results.json} (COCO results).
 * The temporary package is deleted afterwards.
 */
public final class PackageEvaluator implements CheckpointEvaluator {
    /** Detections kept for COCO AP, as {@code evaluate --min-score}. */
    static final double MIN_SCORE = 0.05;
    /** The KPI threshold, as {@code evaluate --threshold}. */
    static final double THRESHOLD = 0.5;

    private final TrainingConfig config;
    private final CocoDataset groundTruth;
    private final Path imageDir;
    private final List<String> labels;
    private final List<Integer> categoryIds;
    private final int threads;
    private final PrintWriter log;

    /** Class names and ids come from the validation json's categories in id order, as the training set maps them. */
    public PackageEvaluator(TrainingConfig config, int threads, PrintWriter log) throws IOException {
        this.config = config;
        CocoDataset gt = config.data().valSelection().apply(CocoDataset.read(config.data().valAnnotations()));
        if (config.data().evalSamples() > 0) {
            gt = new ImageSelection(0, 0, config.data().evalSamples()).apply(gt);
        }
        this.groundTruth = gt;
        this.imageDir = config.data().valImages();
        List<org.peopleseg.core.dataset.CocoCategory> cats = new ArrayList<>(gt.categories());
        cats.sort((a, b) -> Integer.compare(a.id(), b.id()));
        this.labels = withBackground(cats.stream().map(org.peopleseg.core.dataset.CocoCategory::name).toList());
        this.categoryIds = idsWithBackground(cats.stream().map(org.peopleseg.core.dataset.CocoCategory::id).toList());
        if (labels.size() != config.model().numClasses()) {
            throw new IOException(config.data().valAnnotations() + ": has " + (labels.size() - 1) + " categories but "
                    + "the network " + (config.model().numClasses() - 1) + " object classes");
        }
        this.threads = threads;
        this.log = log;
    }

    /** Background first, then the training set's category names and ids. */
    public static List<String> withBackground(List<String> names) {
        List<String> out = new ArrayList<>();
        out.add("background");
        out.addAll(names);
        return out;
    }

    public static List<Integer> idsWithBackground(List<Integer> ids) {
        List<Integer> out = new ArrayList<>();
        out.add(0);
        out.addAll(ids);
        return out;
    }

    @Override
    public Map<String, Double> evaluate(long step, Map<String, WeightTensor> weights, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path model = dir.resolve("model.onnx");
        MaskRcnnPackage.write(config.model(), config.spec().text(), weights, labels, categoryIds,
                "peopleseg train checkpoint at step " + step, "that of the training data and start weights", model);
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
                    log.println("evaluation: skipped " + file + ": " + e.getMessage());
                    continue;
                }
                results.add(image.id(), found);
                for (Instance inst : found.instances()) {
                    detections.add(CocoDetection.fromInstance(image.id(), inst));
                }
            }
            results.finish();
        } finally {
            Files.deleteIfExists(model);
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
            });
        }
        if (failed > 0) {
            headline.put("images_failed", (double) failed);
        }
        return headline;
    }
}
