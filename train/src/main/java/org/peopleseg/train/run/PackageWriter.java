package org.peopleseg.train.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.peopleseg.core.io.Sha256;
import org.peopleseg.models.maskrcnn.MaskRcnnPackage;
import org.peopleseg.models.maskrcnn.WeightTensor;
import org.peopleseg.train.data.TrainingSet;
import org.peopleseg.train.spec.TrainingConfig;

/**
 * Builds the run's {@code model.onnx} from the final weights with the project's ONNX builder: an ordinary package
 * that infer / evaluate / stream / bench use unchanged. Its metadata carries the resolved spec text (as every
 * package), a provenance line, and {@code peopleseg.training}: a JSON record of the spec's hash, the start weights
 * and their hash, the training data and its hash, the steps, and the final evaluation.
 */
public final class PackageWriter implements Trainer.FinalPackager {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TrainingConfig config;
    private final Path target;

    public PackageWriter(TrainingConfig config, Path target) {
        this.config = config;
        this.target = target;
    }

    @Override
    public Path write(Map<String, WeightTensor> weights, TrainingSummary summary, TrainingSet data, String start)
            throws IOException {
        ObjectNode t = JSON.createObjectNode();
        t.put("format", "peopleseg.training/1");
        t.put("spec_sha256", Sha256.hex(config.spec().text()));
        t.put("start_weights", start);
        t.put("train_annotations", config.data().trainAnnotations().getFileName().toString());
        t.put("train_annotations_sha256", data.annotationsSha256());
        t.put("train_selection", config.data().trainSelection().toString());
        t.put("train_images", data.size());
        t.put("train_instances", data.instances());
        if (config.data().hasValidation()) {
            t.put("val_annotations", config.data().valAnnotations().getFileName().toString());
            t.put("val_annotations_sha256", Sha256.hex(config.data().valAnnotations()));
        }
        t.put("steps", summary.stepsDone());
        t.put("seconds_per_step", summary.secondsPerStep());
        ObjectNode m = t.putObject("final_metrics");
        summary.lastEval().forEach(m::put);
        String provenance = "peopleseg train: " + summary.stepsDone() + " steps on "
                + config.data().trainAnnotations().getFileName() + " (" + data.size() + " images, sha256 "
                + data.annotationsSha256().substring(0, 12) + "...) from " + start;
        List<String> labels = PackageEvaluator.withBackground(data.labelNames());
        List<Integer> ids = PackageEvaluator.idsWithBackground(data.categoryIds());
        MaskRcnnPackage.write(config.model(), config.spec().text(), weights, labels, ids, provenance,
                "that of the training data and the start weights", null, Map.of("peopleseg.training", t.toString()), target);
        return target;
    }
}
