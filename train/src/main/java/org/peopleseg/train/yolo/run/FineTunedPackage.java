package org.peopleseg.train.yolo.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.peopleseg.core.io.AtomicFiles;
import org.peopleseg.core.io.Sha256;
import org.peopleseg.runtime.model.ModelMetadata;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.runtime.onnx.proto.Onnx.StringStringEntryProto;

/**
 * Writes the fine-tuned {@code model.onnx}: the target package's own graph with the trained weights, its metadata
 * kept (other keys too) and extended with where the weights came from: the start package and data (with hashes),
 * epochs, training size, optimiser and final losses, in the spec text and the provenance line.
 */
final class FineTunedPackage {
    private FineTunedPackage() {}

    /**
     * @param trained the target graph with the trained weights written in
     * @param meta, props the target package's metadata, parsed and as stored
     * @param trainSize how samples were sized, for the spec text (e.g. "640x384 windows of ...")
     */
    static void write(FineTuneSettings s, ModelProto trained, ModelMetadata meta, Map<String, String> props,
                      List<FineTuneResult.EpochMetrics> history, int images, Hyperparameters hp, Path out,
                      String trainSize) throws IOException {
        FineTuneResult.EpochMetrics last = history.isEmpty() ? null : history.get(history.size() - 1);
        String spec = meta.specText()
                + "fine_tuned_from: " + s.model().getFileName() + " sha256=" + Sha256.hex(s.model()) + "\n"
                + "fine_tune_data: " + s.annotations().getFileName() + " sha256=" + Sha256.hex(s.annotations())
                + (s.idModulus() > 0 ? " (image id % " + s.idModulus() + " == " + s.idRemainder() + ")" : "")
                + ", " + images + " images\n"
                + "fine_tune_epochs: " + history.size() + "\n"
                + "fine_tune_input_size: " + trainSize + "\n"
                + "fine_tune_optimizer: " + hp.optimizer() + " lr0=" + hp.lr0() + " freeze=" + s.freeze() + "\n"
                + (last == null ? "" : String.format(Locale.ROOT, "fine_tune_final_loss: total %.5f box %.5f cls %.5f"
                + " dfl %.5f seg %.5f%n", last.total(), last.box(), last.cls(), last.dfl(), last.seg()));
        ModelMetadata tuned = new ModelMetadata(meta.architecture(), spec, meta.inputWidth(), meta.inputHeight(),
                meta.resize(), meta.mean(), meta.std(), meta.labels(), meta.categoryIds(), "fp32",
                "fine-tuned by peopleseg train from " + s.model().getFileName() + " sha256=" + Sha256.hex(s.model())
                        + "; before that: " + meta.provenance(),
                meta.licence());
        ModelProto.Builder b = trained.toBuilder().clearMetadataProps();
        Map<String, String> merged = new LinkedHashMap<>(props);
        merged.putAll(tuned.toProperties());
        merged.forEach((k, v) -> b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        ModelProto pkg = b.build();
        AtomicFiles.write(out, pkg::writeTo);
    }
}
