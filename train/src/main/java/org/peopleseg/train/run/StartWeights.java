package org.peopleseg.train.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.models.maskrcnn.StateDictImport;
import org.peopleseg.models.maskrcnn.WeightTensor;
import org.peopleseg.models.torch.TorchCheckpoint;
import org.peopleseg.models.torch.TorchTensor;

/**
 * Start weights from a torchvision Mask R-CNN checkpoint, read by the project's safe pickle reader (it never runs
 * code from the file) and checked against the architecture tensor by tensor. A 91-class COCO checkpoint
 * starting a background + person model keeps COCO's person rows (class index 1), as {@code build --classes person}.
 */
final class StartWeights {
    private StartWeights() {}

    record Loaded(Map<String, WeightTensor> weights, String description) {}

    static Loaded read(Path checkpoint, MaskRcnnConfig config) throws IOException, TrainingException {
        Map<String, TorchTensor> raw = TorchCheckpoint.readStateDict(checkpoint);
        Map<String, WeightTensor> tensors = new LinkedHashMap<>();
        raw.forEach((name, t) -> tensors.put(name, new WeightTensor(t.shape(), t.toFloats())));
        int[] keep = null;
        WeightTensor cls = tensors.get("roi_heads.box_predictor.cls_score.weight");
        if (cls != null && cls.shape()[0] == 91 && config.numClasses() == 2) {
            keep = new int[] {0, 1};
        }
        try {
            Map<String, WeightTensor> adapted = StateDictImport.adapt(config, tensors, keep);
            String sha = Hashes.sha256(checkpoint);
            return new Loaded(adapted, "torchvision checkpoint " + checkpoint.getFileName() + " (sha256 " + sha + ")"
                    + (keep != null ? ", COCO person rows kept" : ""));
        } catch (StateDictImport.MismatchException e) {
            throw new TrainingException(checkpoint + " does not fit the spec's network (" + e.problems().size()
                    + " problems): " + String.join("; ", e.problems().subList(0, Math.min(5, e.problems().size()))), e);
        } catch (IllegalArgumentException e) {
            throw new TrainingException(checkpoint + ": " + e.getMessage(), e);
        }
    }
}
