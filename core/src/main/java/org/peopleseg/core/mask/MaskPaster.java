package org.peopleseg.core.mask;

import org.peopleseg.core.geometry.Box;

/**
 * Pastes a Mask R-CNN mask-head output (an M x M grid of probabilities, M = 28 usually) into a full-size image
 * mask, exactly as torchvision's {@code paste_masks_in_image} (0.14) does on the CPU.
 *
 * <p>Why exactly: the pasted masks are what users see and what COCO mask AP is computed on, and parity with
 * torchvision is how this project proves its Mask R-CNN correct (no reference weights are available here). So the
 * steps, and their float32 arithmetic, are torchvision's:
 * <ol>
 *   <li>{@code expand_masks}: pad the M x M grid with one pixel of zeros on each side, and
 *       {@code expand_boxes}: grow the box by (M+2)/M around its centre so the padding lands just outside it —
 *       this lets the mask fade out at the box border instead of being cut;</li>
 *   <li>truncate the expanded box to integers ({@code .to(torch.int64)}), size {@code max(x2 - x1 + 1, 1)};</li>
 *   <li>resize the padded grid to that size with bilinear interpolation, {@code align_corners=False} (PyTorch's
 *       {@code upsample_bilinear2d}: source = (dst + 0.5) * in/out - 0.5, clamped at 0; the last row/column is
 *       repeated at the far edge);</li>
 *   <li>copy the part inside the image.</li>
 * </ol>
 * The last bit of each value matches PyTorch's CPU kernel (checked against torchvision 0.14 on random inputs: the
 * index/weight computation in double with float weights, the four products summed in double, rounded once), so
 * thresholding gives the same pixels as {@code masks > 0.5} in Python.
 *
 * <p>Only the pixels inside the pasted box are computed; cost is proportional to the box area, not the image's.
 */
public final class MaskPaster {
    /** torchvision's {@code paste_masks_in_image(..., padding=1)}. */
    private static final int PADDING = 1;

    private MaskPaster() {}

    /**
     * The full-image mask of {@code probabilities > threshold} (torchvision users threshold at 0.5).
     *
     * @param probabilities {@code maskSize * maskSize} values, row-major, for the box's class
     * @param box           the detection's box in image pixels (as torchvision's float32 boxes; converted to float)
     */
    public static BitMask paste(float[] probabilities, int maskSize, Box box, int imageWidth, int imageHeight,
            float threshold) {
        Region r = Region.of(probabilities, maskSize, box, imageWidth, imageHeight);
        byte[] px = new byte[imageWidth * imageHeight];
        float[] row = new float[r.cols()];
        for (int y = r.y0; y < r.y1; y++) {
            r.row(y, row);
            int o = y * imageWidth + r.x0;
            for (int i = 0; i < row.length; i++) {
                px[o + i] = (byte) (row[i] > threshold ? 1 : 0);
            }
        }
        return new BitMask(imageWidth, imageHeight, px);
    }

    /**
     * The pasted probabilities for the whole image ({@code imageWidth * imageHeight}, row-major, 0 outside the
     * expanded box) — for soft masks, smooth overlays, or thresholds chosen later.
     */
    public static float[] pasteProbabilities(float[] probabilities, int maskSize, Box box, int imageWidth,
            int imageHeight) {
        Region r = Region.of(probabilities, maskSize, box, imageWidth, imageHeight);
        float[] out = new float[imageWidth * imageHeight];
        float[] row = new float[r.cols()];
        for (int y = r.y0; y < r.y1; y++) {
            r.row(y, row);
            System.arraycopy(row, 0, out, y * imageWidth + r.x0, row.length);
        }
        return out;
    }

    /**
     * The expanded integer box, clipped to the image, with the bilinear taps for each of its columns and rows.
     * Image pixel (x, y) inside [x0, x1) x [y0, y1) takes the resized mask's pixel (x - bx0, y - by0).
     */
    private static final class Region {
        final int x0, x1, y0, y1;
        /** the padded (M+2) x (M+2) grid */
        private final float[] padded;
        private final int n;
        private final Taps cols, rows;

        private Region(float[] padded, int n, int x0, int x1, int y0, int y1, Taps cols, Taps rows) {
            this.padded = padded;
            this.n = n;
            this.x0 = x0;
            this.x1 = x1;
            this.y0 = y0;
            this.y1 = y1;
            this.cols = cols;
            this.rows = rows;
        }

        static Region of(float[] probabilities, int m, Box box, int imageWidth, int imageHeight) {
            if (m <= 0 || probabilities.length != m * m) {
                throw new IllegalArgumentException(
                        "mask of size " + m + " needs " + (m * m) + " values, got " + probabilities.length);
            }
            if (imageWidth < 0 || imageHeight < 0) {
                throw new IllegalArgumentException("image size " + imageWidth + "x" + imageHeight);
            }
            int n = m + 2 * PADDING;
            float[] padded = new float[n * n];
            for (int y = 0; y < m; y++) {
                System.arraycopy(probabilities, y * m, padded, (y + PADDING) * n + PADDING, m);
            }
            // expand_boxes in float32; the Python float scale enters the multiplication as float32
            float scale = (float) ((double) n / m);
            float bx1 = (float) box.x1(), by1 = (float) box.y1(), bx2 = (float) box.x2(), by2 = (float) box.y2();
            float wHalf = (bx2 - bx1) * 0.5f * scale;
            float hHalf = (by2 - by1) * 0.5f * scale;
            float xc = (bx2 + bx1) * 0.5f;
            float yc = (by2 + by1) * 0.5f;
            long ex1 = (long) (xc - wHalf), ex2 = (long) (xc + wHalf); // .to(torch.int64): truncation toward zero
            long ey1 = (long) (yc - hHalf), ey2 = (long) (yc + hHalf);
            long w = Math.max(ex2 - ex1 + 1, 1), h = Math.max(ey2 - ey1 + 1, 1);
            long cx0 = Math.max(ex1, 0), cx1 = Math.min(ex2 + 1, imageWidth);
            long cy0 = Math.max(ey1, 0), cy1 = Math.min(ey2 + 1, imageHeight);
            if (cx1 <= cx0 || cy1 <= cy0) {
                // entirely outside the image (torchvision never gets here: its boxes are clipped to the image)
                return new Region(padded, n, 0, 0, 0, 0, Taps.NONE, Taps.NONE);
            }
            Taps cols = Taps.of(n, w, cx0 - ex1, cx1 - ex1);
            Taps rows = Taps.of(n, h, cy0 - ey1, cy1 - ey1);
            return new Region(padded, n, (int) cx0, (int) cx1, (int) cy0, (int) cy1, cols, rows);
        }

        int cols() {
            return x1 - x0;
        }

        /** The interpolated values of image row {@code y} between x0 and x1. */
        void row(int y, float[] out) {
            int r = y - y0;
            float hl0 = rows.l0[r], hl1 = rows.l1[r];
            int r0 = rows.i0[r] * n, r1 = rows.i1[r] * n;
            float[] p = padded;
            for (int c = 0; c < out.length; c++) {
                int c0 = cols.i0[c], c1 = cols.i1[c];
                float wl0 = cols.l0[c], wl1 = cols.l1[c];
                // PyTorch: float weights (products of float lambdas), four products summed in double, one rounding
                double v = (double) (hl0 * wl0) * p[r0 + c0] + (double) (hl0 * wl1) * p[r0 + c1]
                        + (double) (hl1 * wl0) * p[r1 + c0] + (double) (hl1 * wl1) * p[r1 + c1];
                out[c] = (float) v;
            }
        }
    }

    /** Source indices and weights of upsample_bilinear2d (align_corners=False) for output positions [from, to). */
    private static final class Taps {
        static final Taps NONE = new Taps(0);
        final int[] i0, i1;
        final float[] l0, l1;

        private Taps(int size) {
            i0 = new int[size];
            i1 = new int[size];
            l0 = new float[size];
            l1 = new float[size];
        }

        static Taps of(int in, long out, long from, long to) {
            Taps t = new Taps((int) (to - from));
            if (in == out) { // PyTorch copies when the size does not change
                for (int k = 0; k < t.i0.length; k++) {
                    t.i0[k] = t.i1[k] = (int) (from + k);
                    t.l0[k] = 1f;
                }
                return t;
            }
            float ratio = (float) in / (float) out; // area_pixel_compute_scale<float>
            for (int k = 0; k < t.i0.length; k++) {
                long d = from + k;
                double src = (double) ratio * (d + 0.5) - 0.5; // area_pixel_compute_source_index<double>
                if (src < 0) {
                    src = 0;
                }
                int a = (int) src;
                t.i0[k] = a;
                t.i1[k] = a < in - 1 ? a + 1 : a;
                t.l1[k] = (float) (src - a);
                t.l0[k] = 1f - t.l1[k];
            }
            return t;
        }
    }
}
