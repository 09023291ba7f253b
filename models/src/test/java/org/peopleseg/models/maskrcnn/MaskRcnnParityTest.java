package org.peopleseg.models.maskrcnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.image.NetworkInput;
import org.peopleseg.core.image.Preprocessor;
import org.peopleseg.models.SharedDir;
import org.peopleseg.runtime.session.OnnxSession;
import org.peopleseg.runtime.session.SessionSettings;

/**
 * Mask R-CNN against torchvision 0.14 on real COCO images with the same deterministic weights (fixture and the
 * command that made it: tools/fixtures/maskrcnn/make_parity_fixtures.py). The raw graph is compared stage by stage
 * (FPN, proposals, detections) so a mismatch says where; the segmenter end to end (boxes in original pixels,
 * pasted masks).
 */
class MaskRcnnParityTest {
    @TempDir
    Path tmp;

    @Test
    void graphMatchesTorchvision() throws Exception {
        Path shared = SharedDir.require();
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream("/maskrcnn/parity.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        MaskRcnnConfig config = TestConfigs.torchvision(576, 960, 2);
        var model = MaskRcnnGraph.build(config, DeterministicWeights.forConfig(config), true, "test", Map.of());
        Path file = tmp.resolve("m.onnx");
        Files.write(file, model.toByteArray());
        var env = OnnxSession.environment();
        try (OnnxSession session = OnnxSession.open(file, new SessionSettings(2))) {
            for (JsonNode c : doc.get("cases")) {
                BufferedImage img = ImageReader.read(shared.resolve(c.get("image").asText()));
                NetworkInput in = new Preprocessor(Preprocessor.Mode.MIN_MAX, 960, 576,
                        new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225}, 32).apply(img);
                String name = c.get("image").asText();
                assertEquals(c.get("resized").get(0).asInt(), in.resizedHeight(), name);
                assertEquals(c.get("resized").get(1).asInt(), in.resizedWidth(), name);
                try (OnnxTensor image = OnnxTensor.createTensor(env, FloatBuffer.wrap(in.chw()),
                        new long[] {1, 3, in.paddedHeight(), in.paddedWidth()});
                     OnnxTensor size = OnnxTensor.createTensor(env, new float[] {in.resizedHeight(), in.resizedWidth()});
                     OnnxTensor thr = OnnxTensor.createTensor(env, new float[] {0.05f});
                     OrtSession.Result r = session.run(Map.of(MaskRcnnGraph.IMAGE, image, MaskRcnnGraph.IMAGE_SIZE, size,
                             MaskRcnnGraph.SCORE_THRESHOLD, thr))) {
                    // FPN levels
                    for (var e : iterable(c.get("fpn").fields())) {
                        String key = e.getKey();
                        int level = key.equals("pool") ? 6 : Integer.parseInt(key) + 2;
                        float[] f = flat(r, MaskRcnnGraph.fpnOutput(level));
                        JsonNode s = e.getValue().get("samples");
                        double maxErr = 0, maxRef = 0;
                        for (int i = 0; i < s.get("index").size(); i++) {
                            double ref = s.get("value").get(i).asDouble();
                            maxErr = Math.max(maxErr, Math.abs(f[s.get("index").get(i).asInt()] - ref));
                            maxRef = Math.max(maxRef, Math.abs(ref));
                        }
                        System.out.printf("%s fpn %s max abs err %.3g (max |ref| %.3g)%n", name, key, maxErr, maxRef);
                        assertTrue(maxErr < 1e-3 * Math.max(1, maxRef), name + " fpn " + key + " err " + maxErr);
                    }
                    float[] props = flat(r, MaskRcnnGraph.PROPOSALS);
                    assertEquals(c.get("proposal_count").asInt(), props.length / 4, name + " proposals");
                    // Proposal order among (near-)equal objectness is implementation-defined: compare as sets.
                    double pErr = 0;
                    for (int i = 0; i < c.get("proposals").size(); i++) {
                        double best = Double.MAX_VALUE;
                        for (int j = 0; j < props.length / 4; j++) {
                            double e = 0;
                            for (int k = 0; k < 4; k++) {
                                e = Math.max(e, Math.abs(props[j * 4 + k] - c.get("proposals").get(i).get(k).asDouble()));
                            }
                            best = Math.min(best, e);
                        }
                        pErr = Math.max(pErr, best);
                    }
                    System.out.printf("%s proposals: max err %.3g px over the first 100%n", name, pErr);
                    float[] boxes = flat(r, MaskRcnnGraph.BOXES);
                    float[] scores = flat(r, MaskRcnnGraph.SCORES);
                    assertEquals(c.get("scores").size(), scores.length, name + " detection count");
                    // Pair each reference detection with the closest unpaired one (order among equal scores may differ).
                    double bErr = 0, sErr = 0;
                    boolean[] used = new boolean[scores.length];
                    for (int i = 0; i < scores.length; i++) {
                        JsonNode rb = c.get("boxes_resized").get(i);
                        int best = -1;
                        double bestErr = Double.MAX_VALUE;
                        for (int j = 0; j < scores.length; j++) {
                            if (used[j]) continue;
                            double e = Math.abs(scores[j] - c.get("scores").get(i).asDouble()) * 1000;
                            for (int k = 0; k < 4; k++) {
                                e = Math.max(e, Math.abs(boxes[j * 4 + k] - rb.get(k).asDouble()));
                            }
                            if (e < bestErr) {
                                bestErr = e;
                                best = j;
                            }
                        }
                        used[best] = true;
                        sErr = Math.max(sErr, Math.abs(scores[best] - c.get("scores").get(i).asDouble()));
                        for (int k = 0; k < 4; k++) {
                            bErr = Math.max(bErr, Math.abs(boxes[best * 4 + k] - rb.get(k).asDouble()));
                        }
                    }
                    System.out.printf("%s detections %d: box err %.3g px, score err %.3g%n", name, scores.length, bErr, sErr);
                    assertTrue(pErr < 0.5, name + " proposals differ by " + pErr);
                    assertTrue(bErr < 0.5, name + " boxes differ by " + bErr);
                    assertTrue(sErr < 1e-3, name + " scores differ by " + sErr);
                }
            }
        }
    }

    @Test
    void segmenterMatchesTorchvision() throws Exception {
        Path shared = SharedDir.require();
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream("/maskrcnn/parity.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        MaskRcnnConfig config = TestConfigs.torchvision(576, 960, 2);
        Path file = tmp.resolve("package.onnx");
        MaskRcnnPackage.write(config, "", DeterministicWeights.forConfig(config), java.util.List.of("background", "person"),
                java.util.List.of(0, 1), "deterministic", "none", file);
        try (var seg = org.peopleseg.models.Segmenters.open(file, new SessionSettings(2), 0.05)) {
            for (JsonNode c : doc.get("cases")) {
                String name = c.get("image").asText();
                var dets = seg.segment(shared.resolve(name));
                var inst = dets.instances();
                assertEquals(c.get("scores").size(), inst.size(), name + " detection count");
                int w = c.get("width").asInt(), h = c.get("height").asInt();
                boolean[] used = new boolean[inst.size()];
                double bErr = 0, sErr = 0, minIou = 1;
                for (int i = 0; i < inst.size(); i++) {
                    JsonNode rb = c.get("boxes").get(i);
                    double rs = c.get("scores").get(i).asDouble();
                    int best = -1;
                    double bestErr = Double.MAX_VALUE;
                    for (int j = 0; j < inst.size(); j++) {
                        if (used[j]) continue;
                        double[] b = inst.get(j).box().toXyxy();
                        double e = Math.abs(inst.get(j).score() - rs) * 1000;
                        for (int k = 0; k < 4; k++) e = Math.max(e, Math.abs(b[k] - rb.get(k).asDouble()));
                        if (e < bestErr) {
                            bestErr = e;
                            best = j;
                        }
                    }
                    used[best] = true;
                    double[] b = inst.get(best).box().toXyxy();
                    for (int k = 0; k < 4; k++) bErr = Math.max(bErr, Math.abs(b[k] - rb.get(k).asDouble()));
                    sErr = Math.max(sErr, Math.abs(inst.get(best).score() - rs));
                    var ref = decodeRuns(c.get("masks").get(i), w, h);
                    var mine = inst.get(best).mask();
                    if (ref.area() + mine.area() > 0) {
                        minIou = Math.min(minIou, mine.iou(ref));
                    }
                }
                System.out.printf("%s end to end: %d detections, box err %.3g px, score err %.3g, min mask IoU %.4f%n",
                        name, inst.size(), bErr, sErr, minIou);
                assertTrue(bErr < 0.5, name + " boxes differ by " + bErr);
                assertTrue(sErr < 1e-3, name + " scores differ by " + sErr);
                assertTrue(minIou >= 0.98, name + " mask IoU " + minIou);
            }
        }
    }

    /** Column-major run lengths (COCO uncompressed RLE) to a mask. */
    static org.peopleseg.core.mask.BitMask decodeRuns(JsonNode runs, int w, int h) {
        byte[] px = new byte[w * h];
        int pos = 0;
        for (int r = 0; r < runs.size(); r++) {
            int n = runs.get(r).asInt();
            if (r % 2 == 1) {
                for (int k = pos; k < pos + n; k++) {
                    px[(k % h) * w + k / h] = 1;
                }
            }
            pos += n;
        }
        return new org.peopleseg.core.mask.BitMask(w, h, px);
    }

    static float[] flat(OrtSession.Result r, String name) throws Exception {
        OnnxTensor t = (OnnxTensor) r.get(name).orElseThrow();
        FloatBuffer b = t.getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
        return () -> it;
    }
}
