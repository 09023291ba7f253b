package org.peopleseg.models.maskrcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole graph (ResNet-50 FPN, deterministic weights; the one full build of the unit tests) on a 64x64 grey
 * image with a score threshold nothing passes: every stage after the threshold (grouped NMS, the gathers, mask
 * RoIAlign, the mask head's convolutions and GatherND) must cope with zero detections and return empty outputs of
 * the right rank, not fail.
 */
class EmptyDetectionsTest {

    @Test
    void scoreThresholdAboveEveryScoreGivesEmptyOutputs() throws Exception {
        MaskRcnnConfig config = TestConfigs.torchvision(64, 64, 2);
        byte[] bytes = MaskRcnnGraph.build(config, DeterministicWeights.forConfig(config), false, "test", Map.of()).toByteArray();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] image = new float[3 * 64 * 64];
        double[] mean = config.input().mean(), std = config.input().std();
        for (int c = 0; c < 3; c++) {
            java.util.Arrays.fill(image, c * 4096, (c + 1) * 4096, (float) ((0.5 - mean[c]) / std[c]));
        }
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(bytes, opts);
                 OnnxTensor img = OnnxTensor.createTensor(env, FloatBuffer.wrap(image), new long[] {1, 3, 64, 64});
                 OnnxTensor size = OnnxTensor.createTensor(env, new float[] {64, 64})) {
                // Control: with no threshold the same image does give detections, so the empty result below is the
                // threshold's doing and the empty path really runs through NMS, the gathers and the mask head.
                Map<String, PartGraph.Value> all = run(env, session, img, size, 0f);
                assertTrue(all.get(MaskRcnnGraph.SCORES).floats().length > 0, "no detections even without a threshold");
                assertArrayEquals(new long[] {all.get(MaskRcnnGraph.SCORES).shape()[0], 28, 28},
                        all.get(MaskRcnnGraph.MASKS).shape());

                Map<String, PartGraph.Value> none = run(env, session, img, size, 0.999999f);
                for (float s : none.get(MaskRcnnGraph.SCORES).floats()) {
                    assertTrue(s > 0.999999f, "a detection at or below the threshold was kept: " + s);
                }
                assertArrayEquals(new long[] {0, 4}, none.get(MaskRcnnGraph.BOXES).shape(), "boxes");
                assertArrayEquals(new long[] {0}, none.get(MaskRcnnGraph.SCORES).shape(), "scores");
                assertArrayEquals(new long[] {0}, none.get(MaskRcnnGraph.LABELS).shape(), "labels");
                assertArrayEquals(new long[] {0, 28, 28}, none.get(MaskRcnnGraph.MASKS).shape(), "masks");
            }
        }
    }

    private static Map<String, PartGraph.Value> run(OrtEnvironment env, OrtSession session, OnnxTensor img, OnnxTensor size,
                                                    float threshold) throws Exception {
        Map<String, PartGraph.Value> out = new java.util.LinkedHashMap<>();
        try (OnnxTensor thr = OnnxTensor.createTensor(env, new float[] {threshold});
             OrtSession.Result r = session.run(Map.of(MaskRcnnGraph.IMAGE, img, MaskRcnnGraph.IMAGE_SIZE, size,
                     MaskRcnnGraph.SCORE_THRESHOLD, thr))) {
            for (String name : new String[] {MaskRcnnGraph.BOXES, MaskRcnnGraph.SCORES, MaskRcnnGraph.LABELS, MaskRcnnGraph.MASKS}) {
                out.put(name, PartGraph.read((OnnxTensor) r.get(name).orElseThrow()));
            }
        }
        return out;
    }
}
