package org.peopleseg.train.net.maskrcnn;

/**
 * Box arithmetic on plain float arrays ({@code [n*4]} as x1, y1, x2, y2), in float32 step by step as torchvision's
 * {@code BoxCoder} and {@code box_ops} compute it, so thresholds and rankings land where torchvision's do. These
 * run on detached values (anchors, proposals, targets): nothing here needs a gradient.
 */
final class BoxMath {
    /** torchvision's bbox_xform_clip = log(1000 / 16). */
    static final float XFORM_CLIP = (float) Math.log(1000.0 / 16);

    private BoxMath() {}

    /** IoU matrix {@code [g][n]} of g boxes against n boxes (torchvision box_iou). */
    static float[][] iou(float[] a, int g, float[] b, int n) {
        float[][] out = new float[g][n];
        float[] areaB = new float[n];
        for (int j = 0; j < n; j++) {
            areaB[j] = (b[4 * j + 2] - b[4 * j]) * (b[4 * j + 3] - b[4 * j + 1]);
        }
        for (int i = 0; i < g; i++) {
            float ax1 = a[4 * i], ay1 = a[4 * i + 1], ax2 = a[4 * i + 2], ay2 = a[4 * i + 3];
            float areaA = (ax2 - ax1) * (ay2 - ay1);
            float[] row = out[i];
            for (int j = 0; j < n; j++) {
                float w = Math.min(ax2, b[4 * j + 2]) - Math.max(ax1, b[4 * j]);
                float h = Math.min(ay2, b[4 * j + 3]) - Math.max(ay1, b[4 * j + 1]);
                float inter = Math.max(w, 0f) * Math.max(h, 0f);
                row[j] = inter / (areaA + areaB[j] - inter);
            }
        }
        return out;
    }

    /**
     * Regression targets of {@code gt} relative to {@code ref} (torchvision encode_single), 4 values.
     *
     * @param weights (wx, wy, ww, wh)
     */
    static void encode(float[] gt, int gi, float[] ref, int ri, double[] weights, float[] out, int oi) {
        float wx = (float) weights[0], wy = (float) weights[1], ww = (float) weights[2], wh = (float) weights[3];
        float exW = ref[4 * ri + 2] - ref[4 * ri];
        float exH = ref[4 * ri + 3] - ref[4 * ri + 1];
        float exX = ref[4 * ri] + 0.5f * exW;
        float exY = ref[4 * ri + 1] + 0.5f * exH;
        float gW = gt[4 * gi + 2] - gt[4 * gi];
        float gH = gt[4 * gi + 3] - gt[4 * gi + 1];
        float gX = gt[4 * gi] + 0.5f * gW;
        float gY = gt[4 * gi + 1] + 0.5f * gH;
        out[4 * oi] = wx * (gX - exX) / exW;
        out[4 * oi + 1] = wy * (gY - exY) / exH;
        out[4 * oi + 2] = ww * (float) Math.log(gW / exW);
        out[4 * oi + 3] = wh * (float) Math.log(gH / exH);
    }

    /** Applies deltas (at {@code di}) to the reference box {@code ri} (torchvision decode_single). */
    static void decode(float[] deltas, int di, float[] ref, int ri, double[] weights, float[] out, int oi) {
        float w = ref[4 * ri + 2] - ref[4 * ri];
        float h = ref[4 * ri + 3] - ref[4 * ri + 1];
        float cx = ref[4 * ri] + 0.5f * w;
        float cy = ref[4 * ri + 1] + 0.5f * h;
        float dx = deltas[4 * di] / (float) weights[0];
        float dy = deltas[4 * di + 1] / (float) weights[1];
        float dw = Math.min(deltas[4 * di + 2] / (float) weights[2], XFORM_CLIP);
        float dh = Math.min(deltas[4 * di + 3] / (float) weights[3], XFORM_CLIP);
        float pcx = dx * w + cx;
        float pcy = dy * h + cy;
        float pw = (float) Math.exp(dw) * w;
        float ph = (float) Math.exp(dh) * h;
        float hw = 0.5f * pw;
        float hh = 0.5f * ph;
        out[4 * oi] = pcx - hw;
        out[4 * oi + 1] = pcy - hh;
        out[4 * oi + 2] = pcx + hw;
        out[4 * oi + 3] = pcy + hh;
    }

    /** Clamps box i to [0, width] x [0, height] in place. */
    static void clip(float[] b, int i, float height, float width) {
        b[4 * i] = Math.min(Math.max(b[4 * i], 0f), width);
        b[4 * i + 1] = Math.min(Math.max(b[4 * i + 1], 0f), height);
        b[4 * i + 2] = Math.min(Math.max(b[4 * i + 2], 0f), width);
        b[4 * i + 3] = Math.min(Math.max(b[4 * i + 3], 0f), height);
    }

    /** torchvision remove_small_boxes: both sides at least minSize. */
    static boolean bigEnough(float[] b, int i, float minSize) {
        return b[4 * i + 2] - b[4 * i] >= minSize && b[4 * i + 3] - b[4 * i + 1] >= minSize;
    }
}
