package org.peopleseg.core.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.peopleseg.core.geometry.Box;

/** Hand-made cases (expected strings worked out from maskApi.c by hand) and properties on random masks. */
class RleTest {

    @Test
    void emptyMaskIsOneZeroRun() {
        Rle r = Rle.encode(BitMask.empty(3, 4));
        assertArrayEquals(new long[] {12}, r.counts());
        assertEquals("<", r.toCompressedString()); // 12 + 48
        assertEquals(0, r.area());
        assertArrayEquals(new double[] {0, 0, 0, 0}, r.toBbox());
        assertEquals(BitMask.empty(3, 4), r.decode());
    }

    @Test
    void fullMaskStartsWithAnEmptyZeroRun() {
        byte[] px = new byte[15];
        java.util.Arrays.fill(px, (byte) 1);
        Rle r = Rle.encode(new BitMask(5, 3, px));
        assertArrayEquals(new long[] {0, 15}, r.counts());
        assertEquals("0?", r.toCompressedString());
        assertEquals(15, r.area());
        assertArrayEquals(new double[] {0, 0, 5, 3}, r.toBbox());
        assertEquals(new BitMask(5, 3, px), Rle.fromCompressedString(3, 5, "0?").decode());
    }

    @Test
    void singlePixelCountsColumnMajor() {
        byte[] px = new byte[12];
        px[1 * 4 + 2] = 1; // x=2, y=1 in a 4 wide, 3 high mask: column-major position 2*3+1 = 7
        Rle r = Rle.encode(new BitMask(4, 3, px));
        assertArrayEquals(new long[] {7, 1, 4}, r.counts());
        assertEquals("714", r.toCompressedString());
        assertArrayEquals(new double[] {2, 1, 1, 1}, r.toBbox());
        assertEquals(1, r.area());
    }

    @Test
    void deltaAgainstTheRunTwoBackCanBeNegative() {
        // runs 5,3,10,1: the 4th is stored as 1-3 = -2 -> low 5 bits 30, sign bit set, no continuation -> 'N'
        Rle r = Rle.fromUncompressed(1, 19, new long[] {5, 3, 10, 1});
        assertEquals("53:N", r.toCompressedString());
        assertEquals(r, Rle.fromCompressedString(1, 19, "53:N"));
    }

    @Test
    void runsLongerThanTwoToTheTwenty() {
        int w = (1 << 20) + 1;
        Rle zeros = Rle.encode(BitMask.empty(w, 1));
        // 2^20+1 in 5-bit groups, low first: 1,0,0,0,1 -> 'Q','P','P','P','1' (continuation bit 0x20 on all but last)
        assertEquals("QPPP1", zeros.toCompressedString());
        assertEquals(zeros, Rle.fromCompressedString(1, w, "QPPP1"));

        int h = 1200, ww = 1000;
        byte[] px = new byte[h * ww];
        // full columns 10..989: in column-major order one 1-run of 980 * 1200 = 1,176,000 > 2^20 pixels
        for (int x = 10; x < 990; x++) {
            for (int y = 0; y < h; y++) {
                px[y * ww + x] = 1;
            }
        }
        BitMask m = new BitMask(ww, h, px);
        Rle r = Rle.encode(m);
        assertArrayEquals(new long[] {10L * h, 980L * h, 10L * h}, r.counts());
        assertEquals(r, Rle.fromCompressedString(h, ww, r.toCompressedString()));
        assertEquals(m, r.decode());
        assertArrayEquals(new double[] {10, 0, 980, h}, r.toBbox());
    }

    @Test
    void zeroSizedMask() {
        Rle r = Rle.encode(BitMask.empty(0, 0));
        assertArrayEquals(new long[] {0}, r.counts());
        assertEquals("0", r.toCompressedString());
        assertEquals(BitMask.empty(0, 0), r.decode());
        assertArrayEquals(new double[] {0, 0, 0, 0}, r.toBbox());
    }

    @Test
    void randomMasksRoundTripAndAgreeWithBitmaps() {
        Random rnd = new Random(42);
        int[][] sizes = {{1, 1}, {1, 9}, {9, 1}, {7, 5}, {13, 17}, {31, 3}, {64, 48}, {101, 77}};
        for (int[] s : sizes) {
            for (double density : new double[] {0.02, 0.5, 0.97}) {
                BitMask a = random(rnd, s[0], s[1], density), b = random(rnd, s[0], s[1], density);
                Rle ra = Rle.encode(a), rb = Rle.encode(b);
                String where = s[0] + "x" + s[1] + " p=" + density;
                assertEquals(a, ra.decode(), where);
                assertEquals(ra, Rle.fromCompressedString(s[1], s[0], ra.toCompressedString()), where);
                assertEquals(ra, Rle.fromUncompressed(s[1], s[0], ra.counts()), where);
                assertEquals(a.area(), ra.area(), where);
                Box bounds = a.bounds();
                double[] expected = bounds == null ? new double[4] : bounds.toXywh();
                assertArrayEquals(expected, ra.toBbox(), where);
                assertEquals(bitmapIou(a, b, false), Rle.iou(ra, rb, false), where);
                assertEquals(bitmapIou(a, b, true), Rle.iou(ra, rb, true), where);
                assertEquals(combine(a, b, false), Rle.merge(List.of(ra, rb), false).decode(), where);
                assertEquals(combine(a, b, true), Rle.merge(List.of(ra, rb), true).decode(), where);
                assertEquals(Rle.encode(combine(a, b, true)), Rle.merge(List.of(ra, rb), true), where + " canonical");
            }
        }
    }

    @Test
    void mergeOfThreeFoldsLeftToRight() {
        Random rnd = new Random(7);
        BitMask a = random(rnd, 19, 11, 0.3), b = random(rnd, 19, 11, 0.3), c = random(rnd, 19, 11, 0.3);
        Rle union = Rle.merge(List.of(Rle.encode(a), Rle.encode(b), Rle.encode(c)), false);
        assertEquals(combine(combine(a, b, false), c, false), union.decode());
        Rle inter = Rle.merge(List.of(Rle.encode(a), Rle.encode(b), Rle.encode(c)), true);
        assertEquals(combine(combine(a, b, true), c, true), inter.decode());
        Rle single = Rle.encode(a);
        assertSame(single, Rle.merge(List.of(single), false));
    }

    @Test
    void iouEdgeCases() {
        Rle a = Rle.fromBbox(new double[] {0, 0, 2, 2}, 5, 5);
        Rle far = Rle.fromBbox(new double[] {3, 3, 2, 2}, 5, 5);
        Rle other = Rle.fromBbox(new double[] {0, 0, 2, 2}, 5, 6);
        assertEquals(0, Rle.iou(a, far, false));
        assertEquals(-1, Rle.iou(a, other, false));
        assertEquals(1, Rle.iou(a, a, true));
        Rle big = Rle.fromBbox(new double[] {0, 0, 4, 4}, 5, 5);
        assertEquals(4.0 / 16, Rle.iou(a, big, false));
        assertEquals(1.0, Rle.iou(a, big, true)); // crowd: |dt & gt| / |dt|
        assertEquals(4.0 / 16, Rle.iou(big, a, true));
    }

    @Test
    void rejectsMalformedInput() {
        assertThrows(IllegalArgumentException.class, () -> Rle.fromCompressedString(2, 2, "5"));   // sum 5 != 4
        assertThrows(IllegalArgumentException.class, () -> Rle.fromCompressedString(2, 2, "0 4")); // bad character
        assertThrows(IllegalArgumentException.class, () -> Rle.fromCompressedString(2, 2, "0P"));  // ends mid-number
        assertThrows(IllegalArgumentException.class, () -> Rle.fromUncompressed(2, 2, new long[] {5, -1}));
        assertThrows(IllegalArgumentException.class, () -> Rle.fromUncompressed(2, 2, new long[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> Rle.fromPolygon(new double[] {1, 2, 3}, 4, 4));
        assertThrows(IllegalArgumentException.class,
                () -> Rle.merge(List.of(Rle.encode(BitMask.empty(2, 2)), Rle.encode(BitMask.empty(3, 2))), false));
        assertThrows(IllegalArgumentException.class, () -> Rle.merge(List.of(), false));
    }

    @Test
    void polygonPixelsAreThoseWhoseCentreIsInside() {
        // a 2x3 pixel rectangle on pixel edges: centres (1.5..2.5, 1.5..3.5) are inside
        Rle r = Rle.fromPolygon(new double[] {1, 1, 3, 1, 3, 4, 1, 4}, 6, 5);
        BitMask m = r.decode();
        assertEquals(6, r.area());
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(x >= 1 && x < 3 && y >= 1 && y < 4, m.get(x, y), x + "," + y);
            }
        }
        // the same rectangle as a box, and as COCO's [x,y,w,h] polygon-list quirk
        assertEquals(r, Rle.fromBbox(new double[] {1, 1, 2, 3}, 6, 5));
        assertEquals(r, Rle.fromPolygons(List.of(new double[] {1, 1, 2, 3}), 6, 5));
        assertEquals(Rle.encode(BitMask.empty(5, 6)), Rle.fromPolygons(List.of(), 6, 5));
    }

    private static BitMask random(Random rnd, int w, int h, double density) {
        byte[] px = new byte[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (rnd.nextDouble() < density ? 1 : 0);
        }
        return new BitMask(w, h, px);
    }

    private static BitMask combine(BitMask a, BitMask b, boolean and) {
        byte[] pa = a.toArray(), pb = b.toArray(), out = new byte[pa.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (and ? pa[i] & pb[i] : pa[i] | pb[i]);
        }
        return new BitMask(a.width(), a.height(), out);
    }

    /** The definition, with pycocotools' special cases (boxes must overlap; no intersection gives 0). */
    private static double bitmapIou(BitMask dt, BitMask gt, boolean crowd) {
        long inter = combine(dt, gt, true).area();
        if (inter == 0) {
            return 0;
        }
        long union = crowd ? dt.area() : combine(dt, gt, false).area();
        return (double) inter / union;
    }
}
