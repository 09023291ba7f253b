package org.peopleseg.core.image;

/**
 * Bilinear resizing of planar float images with PyTorch's upsample_bilinear2d semantics for align_corners=False
 * and sizes given explicitly: source coordinate (dst + 0.5) * in/out - 0.5 in float32, clamped below at 0; the
 * upper neighbour clamped to the last row/column. No antialiasing (torchvision's detection transform uses none).
 */
public final class BilinearResize {
    private BilinearResize() {}

    /**
     * Resizes {@code src} [channels, inH, inW] into the top-left outH x outW of {@code dst} [channels, dstH, dstW];
     * the rest of {@code dst} is left as it is.
     */
    public static void resize(float[] src, int channels, int inH, int inW, float[] dst, int dstH, int dstW, int outH, int outW) {
        int[] y0 = new int[outH], y1 = new int[outH];
        float[] ly = new float[outH];
        weights(inH, outH, y0, y1, ly);
        int[] x0 = new int[outW], x1 = new int[outW];
        float[] lx = new float[outW];
        weights(inW, outW, x0, x1, lx);
        for (int c = 0; c < channels; c++) {
            int sp = c * inH * inW;
            int dp = c * dstH * dstW;
            for (int y = 0; y < outH; y++) {
                int r0 = sp + y0[y] * inW, r1 = sp + y1[y] * inW;
                float wy1 = ly[y], wy0 = 1f - wy1;
                int o = dp + y * dstW;
                for (int x = 0; x < outW; x++) {
                    float wx1 = lx[x], wx0 = 1f - wx1;
                    dst[o + x] = wy0 * (wx0 * src[r0 + x0[x]] + wx1 * src[r0 + x1[x]])
                            + wy1 * (wx0 * src[r1 + x0[x]] + wx1 * src[r1 + x1[x]]);
                }
            }
        }
    }

    private static void weights(int in, int out, int[] i0, int[] i1, float[] lambda) {
        float scale = (float) in / (float) out;
        for (int d = 0; d < out; d++) {
            float s = Math.max(scale * (d + 0.5f) - 0.5f, 0f);
            int lo = Math.min((int) s, in - 1);
            i0[d] = lo;
            i1[d] = Math.min(lo + 1, in - 1);
            lambda[d] = s - lo;
        }
    }
}
