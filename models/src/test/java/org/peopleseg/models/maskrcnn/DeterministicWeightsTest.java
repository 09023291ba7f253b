package org.peopleseg.models.maskrcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The formula weights equal their Python twin bit for bit, and GraphWeights' batch-norm folding equals a
 * convolution followed by BatchNorm2d in eval mode.
 */
class DeterministicWeightsTest {

    /**
     * Expected bits from tools/fixtures/maskrcnn/deterministic_weights.py, printed with (repository root):
     * <pre>
     * /usr/bin/python3 -c "import sys; sys.path.insert(0, 'tools/fixtures/maskrcnn'); import numpy as np; \
     *   from deterministic_weights import value; \
     *   v = value('backbone.body.conv1.weight', (64, 3, 7, 7)).reshape(-1); print([hex(b) for b in v[[0, 1, 9407]].view(np.uint32)])"
     * </pre>
     * (and likewise for the other names, shapes and indices below).
     */
    @Test
    void valuesEqualThePythonTwin() {
        check("backbone.body.conv1.weight", new long[] {64, 3, 7, 7},
                new int[] {0, 1, 9407}, 0xbc1c79e7, 0xbe02cf03, 0x3c874565); // -0.009550548, -0.12774281, 0.016512582
        check("backbone.body.bn1.running_var", new long[] {64}, new int[] {0, 63}, 0x3fa7e32e, 0x3fa70fbd); // 1.3116205, 1.3051678
        check("backbone.body.bn1.running_mean", new long[] {64}, new int[] {0, 5}, 0x3da0b046, 0xbdb6e33a); // 0.078461215, -0.08930059
        check("backbone.body.bn1.weight", new long[] {64}, new int[] {0, 1}, 0x3f8304ce, 0x3f850635); // 1.0235841, 1.0392519
        // Last batch norm of a residual branch: damped to 0.2.
        check("backbone.body.layer1.0.bn3.weight", new long[] {256}, new int[] {0, 255}, 0x3e4e1801, 0x3e3ed10b); // 0.20126344, 0.18634431
        check("backbone.body.layer2.0.downsample.1.bias", new long[] {512}, new int[] {7}, 0xbcf61d1a); // -0.030043174
        check("rpn.head.bbox_pred.weight", new long[] {12, 256, 1, 1}, new int[] {0, 3071}, 0xbc300b0b, 0x3bf54eb5); // -0.01074482, 0.0074861892
        check("roi_heads.box_head.fc6.bias", new long[] {1024}, new int[] {0, 1023}, 0x3bb5a65c, 0x3b7861b3); // 0.005543513, 0.003790003
        check("roi_heads.mask_predictor.mask_fcn_logits.weight", new long[] {2, 256, 1, 1}, new int[] {0, 511},
                0xbe135af5, 0xbdd7c396); // -0.14390166, -0.10535352
        check("backbone.fpn.inner_blocks.0.0.weight", new long[] {256, 256, 1, 1}, new int[] {100}, 0x3dcdbbba); // 0.100455716
    }

    @Test
    void fnv1aMatchesKnownValues() {
        assertEquals(0xcbf29ce484222325L, DeterministicWeights.fnv1a64(""));
        assertEquals(0xaf63dc4c8601ec8cL, DeterministicWeights.fnv1a64("a"));
        assertEquals(0x98c9f18c3281a059L, DeterministicWeights.fnv1a64("backbone.body.conv1.weight")); // from the .py's fnv1a64
    }

    @Test
    void forConfigMakesExactlyTheExpectedTensors() {
        MaskRcnnConfig config = StateDictImportTest.small(2);
        var expected = WeightLayout.expected(config);
        var made = DeterministicWeights.forConfig(config);
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(made.keySet()));
        expected.forEach((name, shape) -> assertArrayEquals(shape, made.get(name).shape(), name));
    }

    @Test
    void batchNormFoldingEqualsConvThenBatchNorm() throws Exception {
        int cin = 3, cout = 4, k = 3, h = 6, w = 5;
        Random rnd = new Random(7);
        float[] weight = randoms(rnd, cout * cin * k * k, 0.5);
        float[] gamma = {1.3f, -0.7f, 0.05f, 2.0f};
        float[] beta = {0.1f, -0.4f, 0.9f, 0f};
        float[] mean = {0.2f, -1.1f, 0.0f, 3.0f};
        float[] var = {0.5f, 2.0f, 1e-4f, 9.0f}; // 1e-4: eps (1e-5) matters
        float[] x = randoms(rnd, cin * h * w, 1.0);
        Map<String, WeightTensor> weights = new LinkedHashMap<>();
        weights.put("c.weight", new WeightTensor(new long[] {cout, cin, k, k}, weight));
        weights.put("bn.weight", new WeightTensor(new long[] {cout}, gamma));
        weights.put("bn.bias", new WeightTensor(new long[] {cout}, beta));
        weights.put("bn.running_mean", new WeightTensor(new long[] {cout}, mean));
        weights.put("bn.running_var", new WeightTensor(new long[] {cout}, var));

        PartGraph p = new PartGraph();
        GraphWeights gw = new GraphWeights(p.graph(), weights);
        String in = p.floatInput("x", 4);
        String[] folded = gw.convBn("c.weight", "bn");
        p.floatOutput(p.ops().conv(in, folded[0], folded[1], k, 1, 1), "y", 4);
        var out = p.run(Map.of("x", PartGraph.Feed.of(PartGraph.shape(1, cin, h, w), x))).get("y");
        assertArrayEquals(new long[] {1, cout, h, w}, out.shape());

        // conv (padding 1) in double, then BatchNorm2d(eval): (y - mean) / sqrt(var + 1e-5) * gamma + beta.
        float[] want = new float[cout * h * w];
        for (int o = 0; o < cout; o++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    double acc = 0;
                    for (int c = 0; c < cin; c++) {
                        for (int di = 0; di < k; di++) {
                            for (int dj = 0; dj < k; dj++) {
                                int yi = i + di - 1, xj = j + dj - 1;
                                if (yi >= 0 && yi < h && xj >= 0 && xj < w) {
                                    acc += weight[((o * cin + c) * k + di) * k + dj] * (double) x[(c * h + yi) * w + xj];
                                }
                            }
                        }
                    }
                    want[(o * h + i) * w + j] = (float) ((acc - mean[o]) / Math.sqrt(var[o] + 1e-5) * gamma[o] + beta[o]);
                }
            }
        }
        PartGraph.assertClose(want, out.floats(), 1e-5, 1e-5, "conv + BatchNorm2d(eval)");
    }

    private static void check(String name, long[] shape, int[] index, int... bits) {
        float[] v = DeterministicWeights.values(name, shape);
        for (int i = 0; i < index.length; i++) {
            assertEquals(Integer.toHexString(bits[i]), Integer.toHexString(Float.floatToRawIntBits(v[index[i]])),
                    name + "[" + index[i] + "] = " + v[index[i]] + ", Python has " + Float.intBitsToFloat(bits[i]));
        }
    }

    private static float[] randoms(Random rnd, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }
}
