package org.peopleseg.core.mask;

import java.util.Arrays;
import org.peopleseg.core.geometry.Box;

/**
 * A binary mask at full image resolution, stored row-major one byte per pixel (0 or 1).
 * The constructor takes ownership of the array (no copy); nothing mutates it afterwards.
 */
public final class BitMask {
    private final int width;
    private final int height;
    private final byte[] pixels;

    /** @param pixels row-major, {@code pixels[y * width + x]} is 0 or 1; ownership passes to the mask */
    public BitMask(int width, int height, byte[] pixels) {
        if (width < 0 || height < 0 || pixels.length != (long) width * height) {
            throw new IllegalArgumentException(
                    "mask of " + width + "x" + height + " needs " + ((long) width * height) + " pixels, got " + pixels.length);
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    public static BitMask empty(int width, int height) {
        return new BitMask(width, height, new byte[width * height]);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public boolean get(int x, int y) {
        return pixels[y * width + x] != 0;
    }

    /** A copy of the row-major pixels. */
    public byte[] toArray() {
        return pixels.clone();
    }

    /** Read-only access for codecs in this package, without a copy. */
    byte[] pixels() {
        return pixels;
    }

    /** Receives horizontal runs of set pixels: row {@code y}, columns {@code x0} (inclusive) to {@code x1} (exclusive). */
    @FunctionalInterface
    public interface RowRunConsumer {
        void accept(int y, int x0, int x1);
    }

    /**
     * Calls {@code consumer} for every horizontal run of set pixels, top to bottom, left to right. The way for code
     * outside this package (renderers, metrics) to visit a full-HD mask quickly without copying it: empty stretches
     * are skipped with vectorised comparisons, so the cost is mostly proportional to the number of runs.
     */
    public void forEachRowRun(RowRunConsumer consumer) {
        byte[] zeros = new byte[width], ones = new byte[width];
        Arrays.fill(ones, (byte) 1);
        for (int y = 0; y < height; y++) {
            int row = y * width, x = 0;
            while (x < width) {
                int start = Arrays.mismatch(pixels, row + x, row + width, zeros, 0, width - x);
                if (start < 0) {
                    break;
                }
                x += start;
                int len = Arrays.mismatch(pixels, row + x, row + width, ones, 0, width - x);
                int end = len < 0 ? width : x + len;
                consumer.accept(y, x, end);
                x = end;
            }
        }
    }

    public long area() {
        long n = 0;
        for (byte p : pixels) {
            n += p;
        }
        return n;
    }

    /** Tight bounding box of the set pixels (pixel edges: a single pixel at (x,y) gives [x,y,x+1,y+1]); null when empty. */
    public Box bounds() {
        int minX = width, minY = height, maxX = -1, maxY = -1;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                if (pixels[row + x] != 0) {
                    if (x < minX) minX = x;
                    if (x > maxX) maxX = x;
                    if (y < minY) minY = y;
                    maxY = y;
                }
            }
        }
        return maxX < 0 ? null : new Box(minX, minY, maxX + 1, maxY + 1);
    }

    /** Intersection over union of two masks of the same size; 0 when both are empty. */
    public double iou(BitMask other) {
        if (other.width != width || other.height != height) {
            throw new IllegalArgumentException("masks differ in size: " + width + "x" + height + " vs " + other.width + "x" + other.height);
        }
        long inter = 0, union = 0;
        for (int i = 0; i < pixels.length; i++) {
            int a = pixels[i], b = other.pixels[i];
            inter += a & b;
            union += a | b;
        }
        return union == 0 ? 0 : (double) inter / union;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BitMask m && m.width == width && m.height == height && Arrays.equals(m.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "BitMask[" + width + "x" + height + ", area=" + area() + "]";
    }
}
