package org.peopleseg.models.maskrcnn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.peopleseg.core.io.AtomicFiles;
import org.peopleseg.runtime.model.ModelMetadata;
import org.peopleseg.runtime.model.ModelSource;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;

/** Writes a Mask R-CNN model package: the graph with its metadata, atomically (no half-written file on failure). */
public final class MaskRcnnPackage {
    public static final String ARCHITECTURE = "maskrcnn";
    public static final String VERSION = "0.1.0";

    private MaskRcnnPackage() {}

    /**
     * @param weights     checked tensors ({@link StateDictImport#adapt} or {@link DeterministicWeights})
     * @param labels      class names by class index, background first
     * @param categoryIds COCO category id by class index
     */
    public static ModelMetadata write(MaskRcnnConfig config, String specText, Map<String, WeightTensor> weights,
                                      List<String> labels, List<Integer> categoryIds, String provenance, String licence,
                                      Path out) throws IOException {
        return write(config, specText, weights, labels, categoryIds, provenance, licence, null, Map.of(), out);
    }

    /**
     * As above, recording where the weights were downloaded from ({@code source} may be null) and extra metadata
     * properties (e.g. {@code peopleseg.training}: how a trained package was made); those must not use the names
     * the package's own metadata uses.
     */
    public static ModelMetadata write(MaskRcnnConfig config, String specText, Map<String, WeightTensor> weights,
                                      List<String> labels, List<Integer> categoryIds, String provenance, String licence,
                                      ModelSource source, Map<String, String> extraProperties, Path out)
            throws IOException {
        if (labels.size() != config.numClasses()) {
            throw new IllegalArgumentException("the model has " + config.numClasses() + " classes but " + labels.size()
                    + " labels were given: " + labels);
        }
        MaskRcnnConfig.Input in = config.input();
        ModelMetadata meta = new ModelMetadata(ARCHITECTURE, specText, in.width(), in.height(),
                in.resize() == MaskRcnnConfig.Input.Resize.MIN_MAX ? "min_max" : "fit_pad", in.mean(), in.std(),
                labels, categoryIds, "fp32", provenance, licence, source);
        Map<String, String> props = new java.util.LinkedHashMap<>(meta.toProperties());
        extraProperties.forEach((k, v) -> {
            if (props.putIfAbsent(k, v) != null) {
                throw new IllegalArgumentException("metadata property " + k + " is the package's own");
            }
        });
        ModelProto model = MaskRcnnGraph.build(config, weights, false, VERSION, props);
        AtomicFiles.write(out, model::writeTo);
        return meta;
    }
}
