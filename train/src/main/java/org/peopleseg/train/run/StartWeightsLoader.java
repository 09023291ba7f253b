package org.peopleseg.train.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.peopleseg.core.io.Sha256;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.models.maskrcnn.StateDictImport;
import org.peopleseg.models.maskrcnn.WeightTensor;
import org.peopleseg.models.torch.TorchCheckpoint;
import org.peopleseg.models.torch.TorchTensor;
import org.peopleseg.train.net.maskrcnn.StartWeights;

/**
 * The weights a run starts from:
 * <ul>
 *   <li>a torchvision Mask R-CNN checkpoint ({@code .pth}/{@code .pt}), read by the project's safe pickle reader (it
 *       never runs code from the file) and checked against the architecture tensor by tensor; a 91-class COCO
 *       checkpoint starting a background + person model keeps COCO's person rows (class 1), as
 *       {@code build --classes person} does;
 *   <li>a peopleseg package ({@code .onnx}): its folded batch norm is a valid start because training keeps batch norm
 *       frozen ({@code freeze_bn: True});
 *   <li>none: the network's own (torchvision-rule) initialisation from the seed.
 * </ul>
 */
public final class StartWeightsLoader {
    private StartWeightsLoader() {}

    /**
     * @param weights     null for "from scratch" (the factory initialises)
     * @param description for logs and the package metadata, with the file's SHA-256
     */
    public record Loaded(Map<String, WeightTensor> weights, String description, String sha256) {}

    public static Loaded load(Path file, MaskRcnnConfig config) throws IOException, TrainingException {
        if (file == null) {
            return new Loaded(null, "none (trained from the network's initialisation)", null);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String sha = Sha256.hex(file);
        if (name.endsWith(".onnx")) {
            return new Loaded(StartWeights.fromPackage(file, config), "peopleseg package " + file.getFileName()
                    + " (sha256 " + sha + ")", sha);
        }
        Map<String, TorchTensor> raw = TorchCheckpoint.readStateDict(file);
        Map<String, WeightTensor> tensors = new LinkedHashMap<>();
        raw.forEach((n, t) -> tensors.put(n, new WeightTensor(t.shape(), t.toFloats())));
        int[] keep = null;
        WeightTensor cls = tensors.get("roi_heads.box_predictor.cls_score.weight");
        if (cls != null && cls.shape()[0] == 91 && config.numClasses() == 2) {
            keep = new int[] {0, 1};
        }
        try {
            Map<String, WeightTensor> adapted = StateDictImport.adapt(config, tensors, keep);
            return new Loaded(adapted, "torchvision checkpoint " + file.getFileName() + " (sha256 " + sha + ")"
                    + (keep != null ? ", COCO person rows kept" : ""), sha);
        } catch (StateDictImport.MismatchException e) {
            throw new TrainingException(file + " does not fit the spec's network (" + e.problems().size()
                    + " problems): " + String.join("; ", e.problems().subList(0, Math.min(5, e.problems().size()))), e);
        } catch (IllegalArgumentException e) {
            throw new TrainingException(file + ": " + e.getMessage(), e);
        }
    }
}
