package org.peopleseg.core.mask;

import java.util.Arrays;

/**
 * pycocotools' {@code rleFrPoly}, step by step: the outline upsampled by 5 and traced densely, the points where it
 * crosses a pixel-centre column downsampled to the pixel grid, and those toggles turned into column-major runs. Its
 * own file because the C arithmetic it mirrors (truncation, NaN for a repeated vertex) is the hard part of
 * {@link Rle#fromPolygon}, which checks the arguments and wraps the runs.
 */
final class PolygonRaster {
    private PolygonRaster() {
    }

    /** The runs of one polygon on a non-empty height x width mask; {@code xy} has an even length >= 2. */
    static int[] runs(double[] xy, int height, int width) {
        final double scale = 5;
        int k = xy.length / 2;
        int[] x = new int[k + 1], y = new int[k + 1];
        for (int j = 0; j < k; j++) {
            x[j] = cInt(scale * xy[2 * j] + .5);
            y[j] = cInt(scale * xy[2 * j + 1] + .5);
        }
        x[k] = x[0];
        y[k] = y[0];
        long total = 0;
        for (int j = 0; j < k; j++) {
            total += Math.max(Math.abs((long) x[j] - x[j + 1]), Math.abs((long) y[j] - y[j + 1])) + 1;
        }
        // The outline is traced point by point, so a vertex far outside the image would allocate gigabytes (a
        // fuzzing finding: four vertices at 1e8 on a 64x48 image). No polygon inside a frame three times the image's
        // size needs more than this; pycocotools has no such bound.
        long bound = (long) k * ((long) (scale * 3 * ((long) height + width)) + 1);
        // Two bounds: the image's (above) and an absolute cap on the work per polygon (Rle.MAX_POLYGON_OUTLINE).
        if (total > Rle.MAX_PIXELS - 8 || total > bound || total > Rle.MAX_POLYGON_OUTLINE) {
            throw new IllegalArgumentException("polygon outline too long (" + total + " points at 5x for a " + height
                    + "x" + width + " image: at most " + Math.min(bound, Rle.MAX_PIXELS - 8) + " fit this image, limit "
                    + Rle.MAX_POLYGON_OUTLINE + "); coordinates far outside the image?");
        }
        int m = (int) total;
        // Dense boundary points on the upsampled grid.
        int[] u = new int[m], v = new int[m];
        m = 0;
        for (int j = 0; j < k; j++) {
            int xs = x[j], xe = x[j + 1], ys = y[j], ye = y[j + 1];
            int dx = Math.abs(xe - xs), dy = Math.abs(ys - ye);
            boolean flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
            if (flip) {
                int t = xs;
                xs = xe;
                xe = t;
                t = ys;
                ys = ye;
                ye = t;
            }
            // 0/0 = NaN for a repeated vertex; its one point's v is never read (its u equals both neighbours').
            double s = dx >= dy ? (double) (ye - ys) / dx : (double) (xe - xs) / dy;
            if (dx >= dy) {
                for (int d = 0; d <= dx; d++) {
                    int t = flip ? dx - d : d;
                    u[m] = t + xs;
                    v[m] = cInt(ys + s * t + .5);
                    m++;
                }
            } else {
                for (int d = 0; d <= dy; d++) {
                    int t = flip ? dy - d : d;
                    v[m] = t + ys;
                    u[m] = cInt(xs + s * t + .5);
                    m++;
                }
            }
        }
        // Points where the outline crosses a pixel-centre column, downsampled to the pixel grid.
        int n = m;
        int[] a = new int[n + 1];
        m = 0;
        for (int j = 1; j < n; j++) {
            if (u[j] == u[j - 1]) {
                continue;
            }
            double xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
            xd = (xd + .5) / scale - .5;
            if (Math.floor(xd) != xd || xd < 0 || xd > width - 1) {
                continue;
            }
            double yd = v[j] < v[j - 1] ? v[j] : v[j - 1];
            yd = (yd + .5) / scale - .5;
            if (yd < 0) {
                yd = 0;
            } else if (yd > height) {
                yd = height;
            }
            yd = Math.ceil(yd);
            a[m++] = (int) xd * height + (int) yd; // column-major position where the inside/outside state toggles
        }
        a[m++] = height * width;
        Arrays.sort(a, 0, m);
        int prev = 0;
        for (int j = 0; j < m; j++) {
            int t = a[j];
            a[j] -= prev;
            prev = t;
        }
        // Two toggles at the same position cancel: fold zero-length runs into their predecessor.
        int[] b = new int[m];
        int j = 0, r = 0;
        b[r++] = a[j++];
        while (j < m) {
            if (a[j] > 0) {
                b[r++] = a[j++];
            } else {
                j++;
                if (j < m) {
                    b[r - 1] += a[j++];
                }
            }
        }
        return Arrays.copyOf(b, r);
    }

    /**
     * C's double-to-int conversion as x86-64 performs it (cvttsd2si): truncation toward zero, and INT_MIN for NaN or
     * out-of-range values where Java would saturate or give 0 — rleFrPoly's results depend on C's behaviour.
     */
    private static int cInt(double d) {
        if (Double.isNaN(d) || d >= 2147483648.0 || d <= -2147483649.0) {
            return Integer.MIN_VALUE;
        }
        return (int) d;
    }
}
