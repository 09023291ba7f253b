package org.peopleseg.runtime.model;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;
import org.peopleseg.runtime.onnx.GraphBuilder;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.runtime.onnx.proto.Onnx.StringStringEntryProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto.DataType;

/**
 * Coverage-guided fuzzing of what reads a model package's metadata (README "Fuzzing"): the ONNX file parsed as a
 * {@code ModelProto} (as {@code peopleseg models} and the trainers read it, without ONNX Runtime), its
 * {@code metadata_props} collected, and {@link ModelMetadata#fromProperties}.
 *
 * <p>Documented outcomes: protobuf's {@link InvalidProtocolBufferException} (an IOException, with its message) for
 * bytes that are not a ModelProto; {@link IllegalArgumentException} naming the missing or bad
 * {@code peopleseg.*} property. Anything else, an {@link OutOfMemoryError} or {@link StackOverflowError} (nested
 * graphs: protobuf's recursion limit must hold) included, or an input taking over a second, is a finding.
 */
class ModelMetadataFuzzTest {

    /** Packages as the builders write them: a one-node graph and the metadata of a built and a pulled model. */
    static Stream<byte[]> packages() {
        ModelMetadata meta = new ModelMetadata("maskrcnn", "maskrcnn_config { nlayers: 50 }", 64, 32, "fit-pad",
                new double[] {0.485, 0.456, 0.406}, new double[] {0.224, 0.224, 0.224}, List.of("person"),
                List.of(1), "fp32", "untrained deterministic weights", "Apache-2.0");
        ModelMetadata pulled = meta.withSource(new ModelSource("tiny", "file:tiny.tflite", "r1",
                "00ff", "Apache-2.0", "2026-12-01"));
        return Stream.of(meta, pulled).map(m -> {
            GraphBuilder g = new GraphBuilder("tiny");
            String in = g.input("images", DataType.FLOAT, new long[] {1, 3, 32, 64});
            g.output(g.named(g.op("Identity", in), "out"), DataType.FLOAT, new long[] {1, 3, 32, 64});
            return g.build("fuzz-seed", m.toProperties()).toByteArray();
        });
    }

    @MethodSource("packages")
    @FuzzTest
    void packageMetadata(byte[] input) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(input);
        } catch (InvalidProtocolBufferException e) {
            explained(e);
            return;
        }
        Map<String, String> props = new LinkedHashMap<>();
        for (StringStringEntryProto p : model.getMetadataPropsList()) {
            props.put(p.getKey(), p.getValue());
        }
        try {
            ModelMetadata.fromProperties(props);
        } catch (IllegalArgumentException e) {
            explained(e);
            if (!e.getMessage().contains(ModelMetadata.FORMAT.substring(0, 10))
                    && !e.getMessage().contains("labels")) {
                throw new AssertionError("the message names no property: " + e.getMessage(), e);
            }
        }
    }

    private static void explained(Exception e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError("refused without a message", e);
        }
    }
}
