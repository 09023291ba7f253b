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
        return run(data, ann, out, epochs, resume, 1, "AdamW").stopAfter(stopAfter).run();
    }

    static YoloFineTune run(String data, Path ann, Path out, int epochs, boolean resume, int nbs, String optimizer) {
        return run(data, ann, out, epochs, resume, nbs, optimizer, Augmentation.fixedCamera());
    }

    static YoloFineTune run(String data, Path ann, Path out, int epochs, boolean resume, int nbs, String optimizer,
                            Augmentation aug) {
        FineTuneSettings s = new FineTuneSettings(pkg, ann, SharedFiles.resolve(data + "/images"), 0, 0, out,
                epochs, "none", new Hyperparameters(optimizer, 5e-4, 0.01, 0.9, 5e-4, 0, 0.8, 0.0, nbs),
                aug, 3, resume, null);
        return new YoloFineTune(s, new PrintStream(new ByteArrayOutputStream()));
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
        assertEquals(1, new org.peopleseg.train.checkpoint.CheckpointStore(dir.resolve("run-coco")).list().size());
        assertTrue(Files.exists(dir.resolve("run-coco/report.html")));
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

    /**
     * A stop in the middle of an epoch, between two optimiser steps (SGD, 3 images per update over 4 images): the
     * checkpoint carries the accumulated gradient, and the resumed run ends bit for bit where an uninterrupted
     * one does; train.jsonl has each step once.
     */
    @Test
    void aStopBetweenOptimiserStepsResumesExactly() throws Exception {
        Path ann = subset("data/cctv-1080p-train", 4, dir.resolve("cctv4.json"));
        FineTuneResult full = run("data/cctv-1080p-train", ann, dir.resolve("mid-full"), 2, false, 3, "SGD").run();
        int[] images = {0};
        Path stopped = dir.resolve("mid-stopped");
        FineTuneResult first = run("data/cctv-1080p-train", ann, stopped, 2, false, 3, "SGD")
                .stopWhen(() -> ++images[0] >= 6).run();
        assertEquals(null, first.model(), "stopped: no package");
        java.util.List<Path> ckpts = new org.peopleseg.train.checkpoint.CheckpointStore(stopped).list();
        assertEquals(1, ckpts.size());
        Checkpoint c = Checkpoint.read(ckpts.get(0));
        assertEquals(6, c.step());
        assertEquals(1, c.epochsDone());
        assertEquals(2, c.imagesIntoEpoch());
        assertFalse(c.gradients().isEmpty(), "stopped between optimiser steps: the pending gradient is kept");
        FineTuneResult resumed = run("data/cctv-1080p-train", ann, stopped, 2, true, 3, "SGD").run();
        Map<String, float[]> a = weights(full.model()), b = weights(resumed.model());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), 0f, k);
        }
        assertEquals(full.epochs().get(1).total(), resumed.epochs().get(1).total(), 0.0);
        java.util.List<String> lines = Files.readAllLines(stopped.resolve("train.jsonl"));
        assertEquals(8, lines.size());
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode n = json.readTree(lines.get(i));
            assertEquals(i + 1, n.get("step").asInt());
            assertTrue(n.has("loss_total") && n.has("loss_box") && n.has("rss_mb") && n.has("images"), lines.get(i));
        }
    }

    /**
     * Crops from the deploy-size letterbox (--crop-from 640x384 on the 320x192 package): the window draws come from
     * the per-image seed, so a run stopped between two optimiser steps and resumed ends bit for bit where an
     * uninterrupted one does, and the crops change what is trained (the weights differ from a run without them).
     */
    @Test
    void cropFromRunsResumeExactly() throws Exception {
        Path ann = subset("data/cctv-1080p-train", 3, dir.resolve("cctv3.json"));
        Augmentation crop = Augmentation.fixedCamera().withCropFrom(640, 384);
        FineTuneResult full = run("data/cctv-1080p-train", ann, dir.resolve("crop-full"), 2, false, 2, "SGD", crop)
                .run();
        int[] images = {0};
        Path stopped = dir.resolve("crop-stopped");
        assertEquals(null, run("data/cctv-1080p-train", ann, stopped, 2, false, 2, "SGD", crop)
                .stopWhen(() -> ++images[0] >= 4).run().model());
        FineTuneResult resumed = run("data/cctv-1080p-train", ann, stopped, 2, true, 2, "SGD", crop).run();
        Map<String, float[]> a = weights(full.model()), b = weights(resumed.model());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), 0f, k);
        }
        FineTuneResult plain = run("data/cctv-1080p-train", ann, dir.resolve("crop-none"), 2, false, 2, "SGD").run();
        Map<String, float[]> p = weights(plain.model());
        assertTrue(a.keySet().stream().anyMatch(k -> !java.util.Arrays.equals(a.get(k), p.get(k))),
                "crops train on other pixels than the plain letterbox");
        // a resume with other crop settings is another run: refused
        Path other = dir.resolve("crop-other");
        int[] n = {0};
        run("data/cctv-1080p-train", ann, other, 2, false, 2, "SGD", crop).stopWhen(() -> ++n[0] >= 2).run();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> run(
                "data/cctv-1080p-train", ann, other, 2, true, 2, "SGD",
                Augmentation.fixedCamera().withCropFrom(960, 576)).run());
        String spec = ModelMetadata.fromProperties(props(resumed.model())).specText();
        assertTrue(spec.contains("fine_tune_input_size: 320x192 windows of the image letterboxed to 640x384"), spec);
    }

    /**
     * {@code --epochs 0 --deploy-model}: a trained 320x192 package's weights go into a 384x224 import unchanged, bit
     * for bit, and nothing else moves. The trap it replaces: a "zero step" (one image at lr0 0) with the default
     * warmup still steps every bias at warmup_bias_lr 0.1 (Ultralytics' schedule), which is what wrecked run D's
     * 960x576 row in the README.
     */
    @Test
    void epochsZeroMovesTrainedWeightsIntoAnotherSize() throws Exception {
        Path ann = subset("data/cctv-1080p-train", 2, dir.resolve("cctv2z.json"));
        FineTuneResult trained = train("data/cctv-1080p-train", ann, dir.resolve("zero-trained"), 1, false);
        Path deploy = SharedFiles.yolo11Fp32(dir.resolve("start-384x224.onnx"), 384, 224);
        Path images = SharedFiles.resolve("data/cctv-1080p-train/images");
        FineTuneResult moved = new YoloFineTune(new FineTuneSettings(trained.model(), ann, images, 0, 0,
                dir.resolve("zero-moved"), 0, "none", Hyperparameters.ultralytics(), Augmentation.fixedCamera(), 3,
                false, deploy), new PrintStream(new ByteArrayOutputStream())).run();
        assertTrue(moved.epochs().isEmpty());
        Map<String, float[]> t = weights(trained.model()), d = weights(deploy), m = weights(moved.model());
        int same = 0;
        for (String k : m.keySet()) {
            float[] want = t.containsKey(k) && t.get(k).length == m.get(k).length ? t.get(k) : d.get(k);
            assertArrayEquals(want, m.get(k), 0f, k);
            same += t.containsKey(k) && !java.util.Arrays.equals(t.get(k), d.get(k)) ? 1 : 0;
        }
        assertTrue(same > 400, "trained weights carried over: " + same);
        assertEquals("384x224", props(moved.model()).get("peopleseg.input_size"));
        // the old way: one image at lr0 0 with the default warmup moves the biases
        FineTuneResult zeroStep = new YoloFineTune(new FineTuneSettings(trained.model(), ann, images, 0, 0,
                dir.resolve("zero-step"), 1, "none", new Hyperparameters("AdamW", 0, 0.01, 0.9, 0, 3.0, 0.8, 0.1,
                1), Augmentation.fixedCamera(), 3, false, deploy), new PrintStream(new ByteArrayOutputStream()))
                .maxImages(1).run();
        Map<String, float[]> z = weights(zeroStep.model());
        long moved0 = z.keySet().stream().filter(k -> !java.util.Arrays.equals(z.get(k), m.get(k))).count();
        assertTrue(moved0 > 50, "a zero step with warmup_bias_lr 0.1 moves the biases: " + moved0 + " tensors");
    }

    static Map<String, String> props(Path model) throws Exception {
        Map<String, String> props = new HashMap<>();
        for (StringStringEntryProto e : ModelProto.parseFrom(Files.readAllBytes(model)).getMetadataPropsList()) {
            props.put(e.getKey(), e.getValue());
        }
        return props;
    }
}
