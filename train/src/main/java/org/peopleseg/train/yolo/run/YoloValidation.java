package org.peopleseg.train.yolo.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.io.AtomicFiles;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.train.data.ImageSelection;
import org.peopleseg.train.run.PackageValidation;
import org.peopleseg.train.yolo.graph.TrainableGraph;

/**
 * Validation during YOLO-seg fine-tuning, as the Mask R-CNN trainer does it: the current weights are written into the
 * deployed package's graph ({@code eval/STEP/model.onnx}, deleted afterwards) and evaluated by
 * {@link PackageValidation} — ONNX Runtime and the project's evaluator, the numbers {@code peopleseg evaluate}
 * gives. {@code eval/STEP/summary.json} holds the headline numbers with {@code step} and {@code epoch}, the file the
 * shared report reads. Step 0 is the start package, so the report shows the gain.
 */
public final class YoloValidation {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param annotations COCO json of the validation images
     * @param images      their folder
     * @param selection   which of them (ids, limit)
     * @param everyEpochs evaluate after every that many epochs (0: only the start and the end)
     * @param threads     ONNX Runtime threads
     */
    public record Settings(Path annotations, Path images, ImageSelection selection, int everyEpochs, int threads) {}

    private final Settings settings;
    private final PackageValidation validation;
    private final ModelProto target;
    private final Path runDir;
    private final PrintStream log;

    YoloValidation(Settings settings, ModelProto target, Path runDir, PrintStream log) throws IOException {
        this.settings = settings;
        CocoDataset gt = settings.selection().apply(CocoDataset.read(settings.annotations()));
        this.validation = new PackageValidation(gt, settings.images(), settings.threads(), log::println);
        this.target = target;
        this.runDir = runDir;
        this.log = log;
    }

    boolean due(int epochsDone) {
        return settings.everyEpochs() > 0 && epochsDone % settings.everyEpochs() == 0;
    }

    /** Evaluates the graph's current weights; step 0 means the start package. */
    Map<String, Double> evaluate(long step, int epoch, TrainableGraph graph) throws IOException {
        Path dir = runDir.resolve("eval").resolve(Long.toString(step));
        Files.createDirectories(dir);
        log.printf("peopleseg train: evaluating %s on %d validation images into %s ...%n",
                step == 0 ? "the start package" : "step " + step, validation.images(), dir);
        long t0 = System.nanoTime();
        Path model = dir.resolve("model.onnx");
        ModelProto pkg = graph.writeWeightsInto(target);
        AtomicFiles.write(model, pkg::writeTo);
        Map<String, Double> result;
        try {
            result = validation.evaluate(model, dir);
        } finally {
            Files.deleteIfExists(model);
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("step", step);
        o.put("epoch", epoch);
        result.forEach(o::put);
        AtomicFiles.writeString(dir.resolve("summary.json"), o + "\n");
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Evaluation at step %d (epoch %d, %.0f s):",
                step, epoch, (System.nanoTime() - t0) / 1e9));
        for (String k : new String[] {"bbox_AP50", "bbox_AP", "segm_AP", "bbox_best_f1_precision",
            "bbox_best_f1_recall", "bbox_best_f1_accuracy"}) {
            if (result.containsKey(k)) {
                line.append(String.format(Locale.ROOT, "  %s %.4f", k, result.get(k)));
            }
        }
        log.println(line);
        return result;
    }
}
