package org.peopleseg.optimize.graph;


/**
 * Per-output-channel symmetric int8 weights ({@code scale = max|w| / 127}, zero point 0; -128 unused so that
 * the range stays symmetric) and the matching int32 bias at scale {@code inputScale x weightScale}, which is what
 * QLinearConv / QGemm need to fuse a QDQ group.
 */
final class WeightQuant {
    private WeightQuant() {}

    record Quantised(byte[] values, float[] scales) {
    }

    /** @param channels the size of axis 0 (output channels of Conv [M, C/g, kh, kw] and of Gemm's B [N, K]) */
    static Quantised perChannel(float[] w, int channels) {
        int per = w.length / channels;
        byte[] q = new byte[w.length];
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            double amax = 0;
            for (int i = c * per; i < (c + 1) * per; i++) {
                amax = Math.max(amax, Math.abs(w[i]));
            }
            float s = amax > 0 ? (float) (amax / 127.0) : 1f;
            scales[c] = s;
            for (int i = c * per; i < (c + 1) * per; i++) {
                q[i] = (byte) Math.max(-127, Math.min(127, Math.rint(w[i] / s)));
            }
        }
        return new Quantised(q, scales);
    }

    static int[] bias(float[] b, float inputScale, float[] weightScales) {
        int[] q = new int[b.length];
        for (int c = 0; c < b.length; c++) {
            double s = (double) inputScale * weightScales[c];
            q[c] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.rint(b[c] / s)));
        }
        return q;
    }
}
