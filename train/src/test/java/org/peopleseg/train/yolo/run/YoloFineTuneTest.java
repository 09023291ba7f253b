package org.peopleseg.train.yolo.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.runtime.model.ModelMetadata;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.runtime.onnx.proto.Onnx.StringStringEntryProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto;
import org.peopleseg.runtime.session.OnnxSession;
import org.peopleseg.runtime.session.SessionSettings;
import org.peopleseg.train.yolo.SharedFiles;
import org.peopleseg.train.yolo.data.Augmentation;

/**
 * End to end on real photos at a small size (320x192): a run writes an ordinary package that ONNX Runtime opens, with
 * the provenance in its metadata, skipping (and counting) an image that cannot be read; box-only data leaves the mask
 * branch's weights bit for bit; a run interrupted after
 * one epoch and resumed ends with the same weights as an uninterrupted one.
 */
class YoloFineTuneTest {
    @TempDir
    static Path dir;
    static Path pkg;

    @BeforeAll
    static void prepare() throws Exception {
        pkg = SharedFiles.yolo11Fp32(dir.resolve("start-320x192.onnx"), 320, 192);
    }

    /** The first {@code n} images with a person of a COCO file, as a new annotations file. */
    static Path subset(String data, int n, Path out) throws Exception {
        return subset(data, n, out, false);
    }

    /** ... plus, with {@code missing}, an image entry whose file does not exist. */
    static Path subset(String data, int n, Path out, boolean missing) throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode all = json.readTree(SharedFiles.resolve(data + "/annotations.json").toFile());
        Set<Long> keep = new HashSet<>();
        for (JsonNode a : all.get("annotations")) {
            if (keep.size() < n) {
                keep.add(a.get("image_id").asLong());
            }
        }
        ObjectNode o = json.createObjectNode();
        ArrayNode images = o.putArray("images"), anns = o.putArray("annotations");
        all.get("images").forEach(i -> {
            if (keep.contains(i.get("id").asLong())) {
                images.add(i);
            }
        });
        all.get("annotations").forEach(a -> {
            if (keep.contains(a.get("image_id").asLong())) {
                anns.add(a);
            }
        });
        o.set("categories", all.get("categories"));
        if (missing) {
            images.addObject().put("id", 999_999_999L).put("file_name", "no-such-image.jpg").put("width", 640)
                    .put("height", 480);
        }
        json.writeValue(out.toFile(), o);
        return out;
    }

    static FineTuneResult train(String data, Path ann, Path out, int epochs, boolean resume) throws Exception {
        return train(data, ann, out, epochs, resume, Integer.MAX_VALUE);
    }

    static FineTuneResult train(String data, Path ann, Path out, int epochs, boolean resume, int stopAfter)
            throws Exception {
        FineTuneSettings s = new FineTuneSettings(pkg, ann, SharedFiles.resolve(data + "/images"), 0, 0, out,
                epochs, "none", new Hyperparameters("AdamW", 5e-4, 0.01, 0.9, 5e-4, 0, 0.8, 0.0, 1),
                Augmentation.fixedCamera(), 3,
                resume, null);
        return new YoloFineTune(s, new PrintStream(new ByteArrayOutputStream())).stopAfter(stopAfter).run();
    }

    static Map<String, float[]> weights(Path model) throws Exception {
        Map<String, float[]> out = new HashMap<>();
        for (TensorProto t : ModelProto.parseFrom(Files.readAllBytes(model)).getGraph().getInitializerList()) {
            if (t.getDataType() == TensorProto.DataType.FLOAT.getNumber()) {
                java.nio.FloatBuffer b = t.getRawData().asReadOnlyByteBuffer()
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                float[] v = new float[b.remaining()];
                b.get(v);
                out.put(t.getName(), v);
            }
        }
        return out;
    }

    @Test
    void masksTrainEverythingAndTheResultIsAPackage() throws Exception {
        Path ann = subset("data/coco-person", 2, dir.resolve("coco2.json"), true);
        FineTuneResult r = train("data/coco-person", ann, dir.resolve("run-coco"), 1, false);
        assertEquals(1, r.epochs().size());
        assertEquals(1, r.skipped(), "the missing image is reported and skipped, the others train");
        assertEquals(2, r.epochs().get(0).images());
        assertTrue(r.epochs().get(0).seg() > 0, "coco-person has masks: the mask term is on");
        Map<String, float[]> before = weights(pkg), after = weights(r.model());
        long changed = before.keySet().stream().filter(k -> !java.util.Arrays.equals(before.get(k), after.get(k)))
                .count();
        assertTrue(changed > 400, "conv weights changed: " + changed);
        Map<String, String> props = new HashMap<>();
        for (StringStringEntryProto e : ModelProto.parseFrom(Files.readAllBytes(r.model())).getMetadataPropsList()) {
            props.put(e.getKey(), e.getValue());
        }
        ModelMetadata meta = ModelMetadata.fromProperties(props);
        assertEquals("AGPL-3.0", meta.licence());
        assertTrue(meta.specText().contains("fine_tuned_from: start-320x192.onnx sha256="), meta.specText());
        assertTrue(meta.specText().contains("fine_tune_data: coco2.json sha256="), meta.specText());
        try (OnnxSession s = OnnxSession.open(r.model(), new SessionSettings(1))) {
            assertEquals(Set.of("images"), s.inputNames());
        }
        assertTrue(Files.exists(dir.resolve("run-coco/last.ckpt")));
        assertTrue(Files.exists(dir.resolve("run-coco/report.json")));
        assertEquals(1, Files.readAllLines(dir.resolve("run-coco/metrics.jsonl")).size());
    }

    @Test
    void boxOnlyDataLeavesTheMaskBranchAndResumeIsExact() throws Exception {
        Path ann = subset("data/cctv-1080p-train", 2, dir.resolve("cctv2.json"));
        FineTuneResult full = train("data/cctv-1080p-train", ann, dir.resolve("run-full"), 2, false);
        assertEquals(0.0, full.epochs().get(1).seg());
        Map<String, float[]> before = weights(pkg), after = weights(full.model());
        Set<String> unchanged = new HashSet<>();
        before.forEach((k, v) -> {
            if (java.util.Arrays.equals(v, after.get(k))) {
                unchanged.add(k);
            }
        });
        // the mask-coefficient convs and the prototype branch (and the constants) are untouched; detection trained
        assertTrue(unchanged.size() >= 30, "unchanged tensors: " + unchanged.size());
        assertFalse(unchanged.size() > before.size() - 300, "detection weights changed");
        // interrupted after epoch 1, resumed
        assertEquals(null, train("data/cctv-1080p-train", ann, dir.resolve("run-resumed"), 2, false, 1).model());
        FineTuneResult resumed = train("data/cctv-1080p-train", ann, dir.resolve("run-resumed"), 2, true);
        assertEquals(2, resumed.epochs().size());
        Map<String, float[]> a = weights(full.model()), b = weights(resumed.model());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), 0f, k);
        }
    }
}
