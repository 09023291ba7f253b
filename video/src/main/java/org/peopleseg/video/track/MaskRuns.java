package org.peopleseg.video.track;

import java.util.Arrays;
import org.peopleseg.core.mask.BitMask;

/**
 * A mask as its horizontal runs of set pixels, so that the tracker can compare a person's last mask, moved by the
 * predicted motion, with a detection mask in time proportional to the number of runs instead of the image size, and
 * without building the moved mask. Built once per mask with {@link BitMask#forEachRowRun}.
 */
final class MaskRuns {
    private final int width;
    private final int height;
    /** First row with set pixels; rows {@code minY .. minY + rowStart.length - 2}. */
    private final int minY;
    /** Runs of row {@code minY + r} are {@code xs[2 * rowStart[r] ..]} up to {@code 2 * rowStart[r + 1]}, as x0, x1. */
    private final int[] rowStart;
    private final int[] xs;

    private MaskRuns(int width, int height, int minY, int[] rowStart, int[] xs) {
        this.width = width;
        this.height = height;
        this.minY = minY;
        this.rowStart = rowStart;
        this.xs = xs;
    }

    static MaskRuns of(BitMask mask) {
        int[][] ys = {new int[64]};
        int[][] xsHolder = {new int[128]};
        int[] n = {0};
        mask.forEachRowRun((y, x0, x1) -> {
            int i = n[0];
            if (i == ys[0].length) {
                ys[0] = Arrays.copyOf(ys[0], i * 2);
                xsHolder[0] = Arrays.copyOf(xsHolder[0], i * 4);
            }
            ys[0][i] = y;
            xsHolder[0][2 * i] = x0;
            xsHolder[0][2 * i + 1] = x1;
            n[0] = i + 1;
        });
        int count = n[0];
        if (count == 0) {
            return new MaskRuns(mask.width(), mask.height(), 0, new int[] {0}, new int[0]);
        }
        int minY = ys[0][0], maxY = ys[0][count - 1];
        int[] rowStart = new int[maxY - minY + 2];
        for (int i = 0, r = 0; r < rowStart.length; r++) {
            while (i < count && ys[0][i] < minY + r) {
                i++;
            }
            rowStart[r] = i;
        }
        return new MaskRuns(mask.width(), mask.height(), minY, rowStart, Arrays.copyOf(xsHolder[0], 2 * count));
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    private int rows() {
        return rowStart.length - 1;
    }

    /** Set pixels left after moving by (dx, dy) and dropping what falls outside the image. */
    long shiftedArea(int dx, int dy) {
        long area = 0;
        for (int r = 0; r < rows(); r++) {
            int y = minY + r + dy;
            if (y < 0 || y >= height) {
                continue;
            }
            for (int i = rowStart[r]; i < rowStart[r + 1]; i++) {
                int a = Math.max(0, xs[2 * i] + dx), b = Math.min(width, xs[2 * i + 1] + dx);
                if (a < b) {
                    area += b - a;
                }
            }
        }
        return area;
    }

    /**
     * IoU of this mask moved by (dx, dy) (pixels leaving the image dropped, as {@link MaskShift#translate} does) with
     * {@code other}, unmoved; 0 when both are empty. The masks must have the same size.
     */
    double iouShifted(int dx, int dy, MaskRuns other, long otherArea) {
        long inter = 0;
        for (int rb = 0; rb < other.rows(); rb++) {
            int y = other.minY + rb;
            int ra = y - dy - minY;
            if (ra < 0 || ra >= rows()) {
                continue;
            }
            int i = rowStart[ra], iEnd = rowStart[ra + 1];
            int j = other.rowStart[rb], jEnd = other.rowStart[rb + 1];
            while (i < iEnd && j < jEnd) {
                int a0 = xs[2 * i] + dx, a1 = xs[2 * i + 1] + dx;
                int b0 = other.xs[2 * j], b1 = other.xs[2 * j + 1];
                int lo = Math.max(a0, b0), hi = Math.min(a1, b1);
                if (lo < hi) {
                    inter += hi - lo; // b lies inside the image, so the overlap does too
                }
                if (a1 < b1) {
                    i++;
                } else {
                    j++;
                }
            }
        }
        long union = shiftedArea(dx, dy) + otherArea - inter;
        return union <= 0 ? 0 : (double) inter / union;
    }

    long area() {
        return shiftedArea(0, 0);
    }
}
