package org.peopleseg.train.net.maskrcnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import ai.djl.ndarray.NDManager;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.models.maskrcnn.DeterministicWeights;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.models.maskrcnn.MaskRcnnGraph;
import org.peopleseg.models.maskrcnn.WeightTensor;
import org.peopleseg.models.spec.SpecParser;
import org.peopleseg.models.spec.SpecResolver;
import org.peopleseg.runtime.session.OnnxSession;
import org.peopleseg.runtime.session.SessionSettings;
import org.peopleseg.train.TrainingEngine;
import org.peopleseg.train.net.TrainingRules;

/**
 * One network, two engines: the same weights through the ONNX graph (the package builder's, run by ONNX Runtime)
 * and through the DJL training network in inference mode give the same FPN features, proposals, boxes, scores and
 * masks - for torchvision's conventions (ResNet-50) and TAO's (PeopleSegNet card's maskrcnn_config with a ResNet-18:
 * centred anchors, scale-major order, one RoIAlign sample per bin, RoI levels 2..6, basic blocks).
 */
class TwoEnginesTest {
    @TempDir
    Path tmp;

    @Test
    void torchvisionConventions() throws Exception {
        ParityFixture f = new ParityFixture("/train/loss_parity.json");
        compare(f.config(), f, DeterministicWeights.forConfig(f.config()));
    }

    @Test
    void taoConventions() throws Exception {
        ParityFixture f = new ParityFixture("/train/loss_parity.json");
        String spec = """
                data_config { image_size: "(128, 192)" num_classes: 2 }
                maskrcnn_config {
                  nlayers: 18 arch: "resnet" freeze_bn: True freeze_blocks: "[0,1]" gt_mask_size: 112
                  fast_rcnn_mlp_head_dim: 1024 bbox_reg_weights: "(10., 10., 5., 5.)"
                  include_mask: True mrcnn_resolution: 28
                  test_detections_per_image: 100 test_nms: 0.5 test_rpn_pre_nms_topn: 1000
                  test_rpn_post_nms_topn: 1000 test_rpn_nms_thresh: 0.7
                  min_level: 2 max_level: 6 num_scales: 1 aspect_ratios: "[(1.0, 1.0), (1.4, 0.7), (0.7, 1.4)]"
                  anchor_scale: 8
                }
                """;
        MaskRcnnConfig config = SpecResolver.resolve(SpecParser.parse(spec, "tao.txt"));
        // The formula's RPN logits saturate on a ResNet-18 (dozens of proposals at sigmoid = 0.99999994, whose NMS
        // order is implementation-defined): scaled down, the objectness ranking has no ties.
        Map<String, WeightTensor> weights = new java.util.LinkedHashMap<>(DeterministicWeights.forConfig(config));
        WeightTensor cls = weights.get("rpn.head.cls_logits.weight");
        float[] v = cls.values().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] *= 0.1f;
        }
        weights.put("rpn.head.cls_logits.weight", new WeightTensor(cls.shape(), v));
        compare(config, f, weights);
    }

    private void compare(MaskRcnnConfig config, ParityFixture f, Map<String, WeightTensor> weights) throws Exception {
        int h = f.height, w = f.width;
        float[] pixels = f.pixels();
        Path file = tmp.resolve("m.onnx");
        Files.write(file, MaskRcnnGraph.build(config, weights, true, "test", Map.of()).toByteArray());
        var env = OnnxSession.environment();
        var engine = TrainingEngine.get();
        float threshold = 0.05f;
        try (OnnxSession session = OnnxSession.open(file, new SessionSettings(2));
             OnnxTensor image = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {1, 3, h, w});
             OnnxTensor size = OnnxTensor.createTensor(env, new float[] {h, w});
             OnnxTensor thr = OnnxTensor.createTensor(env, new float[] {threshold});
             OrtSession.Result r = session.run(Map.of(MaskRcnnGraph.IMAGE, image, MaskRcnnGraph.IMAGE_SIZE, size,
                     MaskRcnnGraph.SCORE_THRESHOLD, thr));
             MaskRcnnTrainable net = new MaskRcnnTrainable(config,
                     ParityFixture.torchvisionRules(TrainingRules.Sampling.FIRST_BY_INDEX), Freezing.none(),
                     MaskTargetRule.TORCHVISION, weights);
             NDManager step = engine.newBaseManager()) {
            InferenceResult mine = net.infer(step, pixels, h, w, h, w, threshold);
            for (int i = 0; i < mine.fpn().size(); i++) {
                int level = config.fpn().minLevel() + i;
                float[] ref = flat(r, MaskRcnnGraph.fpnOutput(level));
                float[] got = mine.fpn().get(i);
                assertEquals(ref.length, got.length, "P" + level + " size");
                double err = 0, max = 0;
                for (int k = 0; k < ref.length; k++) {
                    err = Math.max(err, Math.abs(ref[k] - got[k]));
                    max = Math.max(max, Math.abs(ref[k]));
                }
                System.out.printf("P%d: max abs diff %.2e (max |value| %.2e)%n", level, err, max);
                assertTrue(err <= 1e-4 * Math.max(1, max), "P" + level + " differs by " + err);
            }
            float[] props = flat(r, MaskRcnnGraph.PROPOSALS);
            assertEquals(props.length / 4, mine.proposals().length / 4, "proposal count");
            // Proposals are compared as sets. The last places of the post-NMS cut can swap between candidates
            // whose objectness differs by float rounding of the features (~1e-6): at most 0.5% may be unpaired.
            int unpaired = unpaired(props, mine.proposals(), 1e-2);
            java.util.Map<Float, Integer> ties = new java.util.HashMap<>();
            for (float sc : mine.proposalScores()) {
                ties.merge(sc, 1, Integer::sum);
            }
            System.out.println("tied proposal scores: " + ties.entrySet().stream().filter(e -> e.getValue() > 1)
                    .map(e -> e.getKey() + " x" + e.getValue()).toList());
            System.out.printf("proposals %d, %d without a partner within 0.01 px%n", props.length / 4, unpaired);
            assertTrue(unpaired <= props.length / 4 / 200, unpaired + " proposals differ");

            float[] boxes = flat(r, MaskRcnnGraph.BOXES);
            float[] scores = flat(r, MaskRcnnGraph.SCORES);
            long[] labels = (long[]) ((OnnxTensor) r.get(MaskRcnnGraph.LABELS).orElseThrow()).getValue();
            float[] masks = flat(r, MaskRcnnGraph.MASKS);
            int d = scores.length;
            assertEquals(d, mine.detections(), "detection count");
            assertTrue(d > 0, "no detections to compare");
            int mm = config.maskHead().resolution() * config.maskHead().resolution();
            double bErr = 0, sErr = 0, mErr = 0;
            boolean[] used = new boolean[d];
            for (int i = 0; i < d; i++) {
                // pair each ONNX detection with the closest unused DJL one (order among equal scores may differ)
                int best = -1;
                double bestErr = Double.MAX_VALUE;
                for (int j = 0; j < d; j++) {
                    if (used[j] || mine.labels()[j] != labels[i]) {
                        continue;
                    }
                    double e = Math.abs(mine.scores()[j] - scores[i]) * 100;
                    for (int k = 0; k < 4; k++) {
                        e = Math.max(e, Math.abs(mine.boxes()[4 * j + k] - boxes[4 * i + k]));
                    }
                    if (e < bestErr) {
                        bestErr = e;
                        best = j;
                    }
                }
                used[best] = true;
                sErr = Math.max(sErr, Math.abs(mine.scores()[best] - scores[i]));
                for (int k = 0; k < 4; k++) {
                    bErr = Math.max(bErr, Math.abs(mine.boxes()[4 * best + k] - boxes[4 * i + k]));
                }
                for (int q = 0; q < mm; q++) {
                    mErr = Math.max(mErr, Math.abs(mine.masks()[best * mm + q] - masks[i * mm + q]));
                }
            }
            System.out.printf("detections %d: box diff %.2e px, score diff %.2e, mask prob diff %.2e%n", d, bErr, sErr,
                    mErr);
            assertTrue(bErr < 1e-2, "boxes differ by " + bErr);
            assertTrue(sErr < 1e-4, "scores differ by " + sErr);
            assertTrue(mErr < 5e-4, "masks differ by " + mErr);
        }
    }

    /** How many boxes of a have no box of b within tol on every corner. */
    private static int unpaired(float[] a, float[] b, double tol) {
        int n = 0;
        for (int i = 0; i < a.length / 4; i++) {
            double best = Double.MAX_VALUE;
            for (int j = 0; j < b.length / 4; j++) {
                double e = 0;
                for (int k = 0; k < 4; k++) {
                    e = Math.max(e, Math.abs(a[4 * i + k] - b[4 * j + k]));
                }
                best = Math.min(best, e);
            }
            if (best > tol) {
                n++;
                System.out.printf("  unpaired proposal %d: %s (nearest differs by %.3g px)%n", i,
                        java.util.Arrays.toString(java.util.Arrays.copyOfRange(a, 4 * i, 4 * i + 4)), best);
            }
        }
        return n;
    }

    private static float[] flat(OrtSession.Result r, String name) throws Exception {
        FloatBuffer b = ((OnnxTensor) r.get(name).orElseThrow()).getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }
}
