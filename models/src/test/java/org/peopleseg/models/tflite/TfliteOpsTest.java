package org.peopleseg.models.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each converted operator against a direct Java implementation of TFLite's reference kernel, on hand-made tensors
 * (odd sizes, SAME and VALID padding, stride 2, dilation, per-channel int8 weights).
 */
class TfliteOpsTest {
    private static final TfliteConverter.Precision FP32 = TfliteConverter.Precision.FP32;
    private static final TfliteConverter.Precision INT8 = TfliteConverter.Precision.INT8;

    /** TFLite reference CONV_2D, NHWC, weights [O, KH, KW, I], padding from {@link TfliteConverter#pads}. */
    static float[] conv(float[] x, int h, int w, int cin, float[] wt, int cout, int kh, int kw, float[] bias,
                        int sh, int sw, int dh, int dw, int padding, int[] outHw) {
        long[] ph = TfliteConverter.pads(padding, h, kh, sh, dh);
        long[] pw = TfliteConverter.pads(padding, w, kw, sw, dw);
        int oh = (int) ph[2], ow = (int) pw[2];
        outHw[0] = oh;
        outHw[1] = ow;
        float[] out = new float[oh * ow * cout];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int o = 0; o < cout; o++) {
                    double s = bias == null ? 0 : bias[o];
                    for (int ky = 0; ky < kh; ky++) {
                        for (int kx = 0; kx < kw; kx++) {
                            int iy = oy * sh - (int) ph[0] + ky * dh, ix = ox * sw - (int) pw[0] + kx * dw;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                continue;
                            }
                            for (int c = 0; c < cin; c++) {
                                s += x[(iy * w + ix) * cin + c] * wt[((o * kh + ky) * kw + kx) * cin + c];
                            }
                        }
                    }
                    out[(oy * ow + ox) * cout + o] = (float) s;
                }
            }
        }
        return out;
    }

    private static int[] shape(int... d) {
        return d;
    }

    @Test
    void conv2dSameAndValidStridesDilationOddSizes() throws Exception {
        int h = 7, w = 5, cin = 3, cout = 4;
        for (int padding : new int[] {0, 1}) {
            for (int[] sd : new int[][] {{1, 1}, {2, 1}, {1, 2}}) {
                int stride = sd[0], dil = sd[1];
                HandModel m = new HandModel();
                int in = m.input(shape(1, h, w, cin), null);
                float[] wt = HandModel.ramp(cout * 3 * 3 * cin, 1);
                float[] b = HandModel.ramp(cout, 2);
                int wi = m.floats(shape(cout, 3, 3, cin), wt);
                int bi = m.floats(shape(cout), b);
                int[] ohw = new int[2];
                float[] x = HandModel.ramp(h * w * cin, 3);
                float[] expected = conv(x, h, w, cin, wt, cout, 3, 3, b, stride, stride, dil, dil, padding, ohw);
                int out = m.activation(shape(1, ohw[0], ohw[1], cout), null);
                m.op(BuiltinOps.CONV_2D, new int[] {in, wi, bi}, new int[] {out},
                        Map.of(0, padding, 1, stride, 2, stride, 3, 1, 4, dil, 5, dil)); // fused RELU
                m.output(out);
                float[] got = m.run(FP32, x, w, h).get(0);
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = Math.max(0, expected[i]);
                }
                assertArrayEquals(expected, got, 1e-5f, "padding " + padding + " stride " + stride + " dil " + dil);
            }
        }
    }

    @Test
    void depthwiseWithMultiplierAndStride2() throws Exception {
        int h = 6, w = 9, c = 2, mult = 2, cout = c * mult;
        HandModel m = new HandModel();
        int in = m.input(shape(1, h, w, c), null);
        float[] wt = HandModel.ramp(3 * 3 * cout, 4); // [1, 3, 3, cout]
        int wi = m.floats(shape(1, 3, 3, cout), wt);
        float[] x = HandModel.ramp(h * w * c, 5);
        long[] ph = TfliteConverter.pads(0, h, 3, 2, 1), pw = TfliteConverter.pads(0, w, 3, 2, 1);
        int oh = (int) ph[2], ow = (int) pw[2];
        float[] expected = new float[oh * ow * cout];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int o = 0; o < cout; o++) {
                    double s = 0;
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kx = 0; kx < 3; kx++) {
                            int iy = oy * 2 - (int) ph[0] + ky, ix = ox * 2 - (int) pw[0] + kx;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                s += x[(iy * w + ix) * c + o / mult] * wt[(ky * 3 + kx) * cout + o];
                            }
                        }
                    }
                    expected[(oy * ow + ox) * cout + o] = (float) s;
                }
            }
        }
        int out = m.activation(shape(1, oh, ow, cout), null);
        m.op(BuiltinOps.DEPTHWISE_CONV_2D, new int[] {in, wi, -1}, new int[] {out},
                Map.of(0, 0, 1, 2, 2, 2, 3, mult));
        m.output(out);
        assertArrayEquals(expected, m.run(FP32, x, w, h).get(0), 1e-5f);
    }

    @Test
    void transposeConvStride2SameMatchesScatterDefinition() throws Exception {
        int h = 3, w = 5, cin = 2, cout = 3, k = 3, s = 2;
        int oh = h * s, ow = w * s;
        HandModel m = new HandModel();
        int in = m.input(shape(1, h, w, cin), null);
        float[] wt = HandModel.ramp(cout * k * k * cin, 6);
        float[] b = HandModel.ramp(cout, 7);
        int os = m.ints(shape(4), 1, oh, ow, cout);
        int wi = m.floats(shape(cout, k, k, cin), wt);
        int bi = m.floats(shape(cout), b);
        int out = m.activation(shape(1, oh, ow, cout), null);
        m.op(BuiltinOps.TRANSPOSE_CONV, new int[] {os, wi, in, bi}, new int[] {out}, Map.of(0, 0, 1, s, 2, s));
        m.output(out);
        float[] x = HandModel.ramp(h * w * cin, 8);
        // TFLite reference: padding from the forward convolution output -> input, then scatter
        long[] ph = TfliteConverter.pads(0, oh, k, s, 1), pw = TfliteConverter.pads(0, ow, k, s, 1);
        float[] expected = new float[oh * ow * cout];
        for (int iy = 0; iy < h; iy++) {
            for (int ix = 0; ix < w; ix++) {
                for (int ky = 0; ky < k; ky++) {
                    for (int kx = 0; kx < k; kx++) {
                        int y = iy * s - (int) ph[0] + ky, xx = ix * s - (int) pw[0] + kx;
                        if (y < 0 || y >= oh || xx < 0 || xx >= ow) {
                            continue;
                        }
                        for (int o = 0; o < cout; o++) {
                            for (int c = 0; c < cin; c++) {
                                expected[(y * ow + xx) * cout + o] += x[(iy * w + ix) * cin + c]
                                        * wt[((o * k + ky) * k + kx) * cin + c];
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < expected.length; i++) {
            expected[i] += b[i % cout];
        }
        assertArrayEquals(expected, m.run(FP32, x, w, h).get(0), 1e-5f);
    }

    @Test
    void maxPoolSameStride2OddSizeIgnoresPadding() throws Exception {
        int h = 5, w = 7, c = 2;
        HandModel m = new HandModel();
        int in = m.input(shape(1, h, w, c), null);
        int out = m.activation(shape(1, 3, 4, c), null);
        m.op(BuiltinOps.MAX_POOL_2D, new int[] {in}, new int[] {out}, Map.of(0, 0, 1, 2, 2, 2, 3, 3, 4, 3));
        m.output(out);
        float[] x = HandModel.ramp(h * w * c, 9);
        for (int i = 0; i < x.length; i++) {
            x[i] -= 2; // all negative: a zero-padded pool would return 0 at the borders
        }
        long[] ph = TfliteConverter.pads(0, h, 3, 2, 1), pw = TfliteConverter.pads(0, w, 3, 2, 1);
        float[] expected = new float[3 * 4 * c];
        for (int oy = 0; oy < 3; oy++) {
            for (int ox = 0; ox < 4; ox++) {
                for (int k = 0; k < c; k++) {
                    float best = -Float.MAX_VALUE;
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kx = 0; kx < 3; kx++) {
                            int iy = oy * 2 - (int) ph[0] + ky, ix = ox * 2 - (int) pw[0] + kx;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                best = Math.max(best, x[(iy * w + ix) * c + k]);
                            }
                        }
                    }
                    expected[(oy * 4 + ox) * c + k] = best;
                }
            }
        }
        assertArrayEquals(expected, m.run(FP32, x, w, h).get(0), 0f);
    }

    @Test
    void elementwiseSliceConcatSplitPadResizeSoftmax() throws Exception {
        int h = 3, w = 4, c = 4;
        HandModel m = new HandModel();
        int in = m.input(shape(1, h, w, c), null);
        // LOGISTIC, MUL (x * sigmoid(x)), ADD a per-channel constant, SUB
        int sig = m.activation(shape(1, h, w, c), null);
        m.op(BuiltinOps.LOGISTIC, new int[] {in}, new int[] {sig}, Map.of());
        int silu = m.activation(shape(1, h, w, c), null);
        m.op(BuiltinOps.MUL, new int[] {in, sig}, new int[] {silu}, Map.of());
        int bias = m.floats(shape(c), 1f, 2f, 3f, 4f);
        int added = m.activation(shape(1, h, w, c), null);
        m.op(BuiltinOps.ADD, new int[] {silu, bias}, new int[] {added}, Map.of());
        // STRIDED_SLICE channels 1..3 with begin/end masks on the other axes
        int b = m.ints(shape(4), 0, 0, 0, 1), e = m.ints(shape(4), 0, 0, 0, 3), st = m.ints(shape(4), 1, 1, 1, 1);
        int sliced = m.activation(shape(1, h, w, 2), null);
        m.op(BuiltinOps.STRIDED_SLICE, new int[] {added, b, e, st}, new int[] {sliced}, Map.of(0, 7, 1, 7));
        // CONCATENATION on channels, SPLIT in two, PAD, RESIZE x2, SOFTMAX
        int cat = m.activation(shape(1, h, w, 6), null);
        m.op(BuiltinOps.CONCATENATION, new int[] {sliced, added}, new int[] {cat}, Map.of(0, -1));
        int ax = m.ints(shape(), 3);
        int s0 = m.activation(shape(1, h, w, 3), null), s1 = m.activation(shape(1, h, w, 3), null);
        m.op(BuiltinOps.SPLIT, new int[] {ax, cat}, new int[] {s0, s1}, Map.of(0, 2));
        int pads = m.ints(shape(4, 2), 0, 0, 1, 0, 0, 2, 0, 0);
        int padded = m.activation(shape(1, h + 1, w + 2, 3), null);
        m.op(BuiltinOps.PAD, new int[] {s1, pads}, new int[] {padded}, Map.of());
        int size = m.ints(shape(2), 2 * (h + 1), 2 * (w + 2));
        int up = m.activation(shape(1, 2 * (h + 1), 2 * (w + 2), 3), null);
        m.op(BuiltinOps.RESIZE_NEAREST_NEIGHBOR, new int[] {padded, size}, new int[] {up}, Map.of(1, 1));
        int sm = m.activation(shape(1, 2 * (h + 1), 2 * (w + 2), 3), null);
        m.op(BuiltinOps.SOFTMAX, new int[] {up}, new int[] {sm}, Map.of(0, 2f));
        m.output(s0);
        m.output(sm);
        float[] x = HandModel.ramp(h * w * c, 10);
        List<float[]> got = m.run(FP32, x, w, h);
        float[] add = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            add[i] = (float) (x[i] / (1 + Math.exp(-x[i]))) + (i % c + 1);
        }
        // s0 = concat(slice(add)[1:3], add)[..., 0:3] = add[1], add[2], add[0]
        float[] s0e = new float[h * w * 3];
        float[] s1e = new float[h * w * 3];
        for (int p = 0; p < h * w; p++) {
            float[] cat6 = {add[p * c + 1], add[p * c + 2], add[p * c], add[p * c + 1], add[p * c + 2], add[p * c + 3]};
            System.arraycopy(cat6, 0, s0e, p * 3, 3);
            System.arraycopy(cat6, 3, s1e, p * 3, 3);
        }
        assertArrayEquals(s0e, got.get(0), 1e-5f);
        int ph = h + 1, pw = w + 2;
        float[] smE = new float[4 * ph * pw * 3];
        for (int y = 0; y < 2 * ph; y++) {
            for (int xx = 0; xx < 2 * pw; xx++) {
                int sy = y / 2 - 1, sx = xx / 2; // pad 1 row on top, 2 columns right
                double[] v = new double[3];
                double sum = 0;
                for (int k = 0; k < 3; k++) {
                    float val = sy >= 0 && sy < h && sx < w ? s1e[(sy * w + sx) * 3 + k] : 0f;
                    v[k] = Math.exp(2 * val);
                    sum += v[k];
                }
                for (int k = 0; k < 3; k++) {
                    smE[(y * 2 * pw + xx) * 3 + k] = (float) (v[k] / sum);
                }
            }
        }
        assertArrayEquals(smE, got.get(1), 1e-5f);
    }

    @Test
    void reshapeTransposeBatchMatMulInTfliteLayout() throws Exception {
        int h = 2, w = 3, c = 4;
        HandModel m = new HandModel();
        int in = m.input(shape(1, h, w, c), null);
        int tshape = m.ints(shape(3), 1, h * w, c);
        int flat = m.activation(shape(1, h * w, c), null);
        m.op(BuiltinOps.RESHAPE, new int[] {in, tshape}, new int[] {flat}, Map.of());
        int perm = m.ints(shape(3), 0, 2, 1);
        int tr = m.activation(shape(1, c, h * w), null);
        m.op(BuiltinOps.TRANSPOSE, new int[] {flat, perm}, new int[] {tr}, Map.of());
        int mm = m.activation(shape(1, h * w, h * w), null);
        m.op(BuiltinOps.BATCH_MATMUL, new int[] {tr, tr}, new int[] {mm}, Map.of(0, 1)); // adj_x: tr^T @ tr
        m.output(mm);
        float[] x = HandModel.ramp(h * w * c, 11);
        float[] expected = new float[h * w * h * w];
        for (int i = 0; i < h * w; i++) {
            for (int j = 0; j < h * w; j++) {
                double s = 0;
                for (int k = 0; k < c; k++) {
                    s += x[i * c + k] * x[j * c + k];
                }
                expected[i * h * w + j] = (float) s;
            }
        }
        assertArrayEquals(expected, m.run(FP32, x, w, h).get(0), 1e-5f);
    }

    @Test
    void int8PerChannelConvIsWithinOneStepOfTheDequantisedReference() throws Exception {
        int h = 5, w = 5, cin = 3, cout = 3;
        Quantization inQ = Quantization.perTensor(1f / 64, -3);
        Quantization outQ = Quantization.perTensor(0.05f, 7);
        float[] wScales = {0.01f, 0.02f, 0.005f};
        Quantization wQ = new Quantization(wScales, new long[3], 0);
        long[] wq = new long[cout * 9 * cin];
        java.util.Random r = new java.util.Random(12);
        for (int i = 0; i < wq.length; i++) {
            wq[i] = r.nextInt(255) - 127;
        }
        float[] bScales = new float[cout];
        for (int o = 0; o < cout; o++) {
            bScales[o] = inQ.scale() * wScales[o];
        }
        long[] bq = {100, -2000, 555};
        HandModel m = new HandModel();
        int in = m.input(shape(1, h, w, cin), inQ);
        int wi = m.quantized(TensorType.INT8, shape(cout, 3, 3, cin), wq, wQ);
        int bi = m.quantized(TensorType.INT32, shape(cout), bq, new Quantization(bScales, new long[3], 0));
        int out = m.activation(shape(1, 3, 3, cout), outQ);
        m.op(BuiltinOps.CONV_2D, new int[] {in, wi, bi}, new int[] {out}, Map.of(0, 1, 1, 1, 2, 1));
        m.output(out);
        float[] x = new float[h * w * cin];
        for (int i = 0; i < x.length; i++) {
            x[i] = (r.nextInt(256) - 128 + 3) * inQ.scale(); // exactly representable input
        }
        float[] wf = new float[wq.length];
        for (int i = 0; i < wq.length; i++) {
            wf[i] = wq[i] * wScales[i / (9 * cin)];
        }
        float[] bf = new float[cout];
        for (int o = 0; o < cout; o++) {
            bf[o] = bq[o] * bScales[o];
        }
        float[] ref = conv(x, h, w, cin, wf, cout, 3, 3, bf, 1, 1, 1, 1, 1, new int[2]);
        float[] got = m.run(INT8, x, w, h).get(0);
        for (int i = 0; i < ref.length; i++) {
            long expectQ = Math.max(-128, Math.min(127, Math.round(ref[i] / outQ.scale()) + outQ.zeroPoint()));
            float q = got[i] / outQ.scale() + outQ.zeroPoint();
            assertEquals(Math.round(q), q, 1e-3, "int8 outputs are quantised values");
            assertTrue(Math.abs(Math.round(q) - expectQ) <= 1, "element " + i + ": " + q + " vs " + expectQ);
        }
        // and the fp32 variant computes with the dequantised weights exactly
        float[] fp = m.run(FP32, x, w, h).get(0);
        assertArrayEquals(ref, fp, 1e-4f);
    }

    @Test
    void unsupportedOperatorIsNamed() {
        HandModel m = new HandModel();
        int in = m.input(shape(1, 2, 2, 1), null);
        int out = m.activation(shape(1, 2, 2, 1), null);
        m.op(117, new int[] {in}, new int[] {out}, Map.of()); // HARD_SWISH
        m.output(out);
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> TfliteConverter.convert(m.model(), new TfliteConverter.Options(0, 0, FP32)));
        assertTrue(e.getMessage().contains("HARD_SWISH") && e.getMessage().contains("op #0"), e.getMessage());
    }

    @Test
    void impossibleInputSizeIsReportedByOperator() {
        HandModel m = new HandModel();
        int in = m.input(shape(1, 4, 4, 1), null);
        int half = m.activation(shape(1, 2, 2, 1), null);
        m.op(BuiltinOps.MAX_POOL_2D, new int[] {in}, new int[] {half}, Map.of(0, 1, 1, 2, 2, 2, 3, 2, 4, 2));
        int size = m.ints(shape(2), 4, 4);
        int up = m.activation(shape(1, 4, 4, 1), null);
        m.op(BuiltinOps.RESIZE_NEAREST_NEIGHBOR, new int[] {half, size}, new int[] {up}, Map.of());
        int sum = m.activation(shape(1, 4, 4, 1), null);
        m.op(BuiltinOps.ADD, new int[] {in, up}, new int[] {sum}, Map.of());
        m.output(sum);
        // 6x6 works (3x3 pooled, upsampled back to 6x6); 5x5 cannot (2x2 pooled -> 4x4 != 5x5)
        TfliteConverter.convert(m.model(), new TfliteConverter.Options(6, 6, FP32));
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> TfliteConverter.convert(m.model(), new TfliteConverter.Options(5, 5, FP32)));
        assertTrue(e.getMessage().contains("op #2 ADD") && e.getMessage().contains("5x5"), e.getMessage());
    }

    @Test
    void reshapeTargetsFollowANewInputSize() {
        ReshapePlan plan = new ReshapePlan();
        // [1,144,40,40] -> [1,144,1600] at 320x320; at 960x576 the level is 36x60 (NCHW after the transpose)
        assertArrayEquals(new long[] {1, 144, 2160},
                plan.newTarget(new long[] {1, 144, 40, 40}, new long[] {1, 144, 1600}, new long[] {1, 144, 36, 60}));
        // split back into the recorded factors
        assertArrayEquals(new long[] {1, 128, 36, 60},
                plan.newTarget(new long[] {1, 2, 64, 1600}, new long[] {1, 128, 40, 40}, new long[] {1, 2, 64, 2160}));
        assertArrayEquals(new long[] {1, 1, 4, 2160},
                plan.newTarget(new long[] {1, 4, 2100, 1}, new long[] {1, 1, 4, 2100}, new long[] {1, 4, 2160, 1}));
    }
}
