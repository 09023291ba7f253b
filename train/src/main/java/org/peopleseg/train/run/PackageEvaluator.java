package org.peopleseg.train.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.models.maskrcnn.MaskRcnnPackage;
import org.peopleseg.models.maskrcnn.WeightTensor;
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
        try {
            return PackageValidation.evaluate(groundTruth, imageDir, threads, log::println, model, dir, false);
        } finally {
            Files.deleteIfExists(model);
        }
    }
}
