package org.peopleseg.video.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.mask.BitMask;

class MaskShiftTest {

    static BitMask rect(int w, int h, int x1, int y1, int x2, int y2) {
        byte[] p = new byte[w * h];
        for (int y = Math.max(0, y1); y < Math.min(h, y2); y++) {
            for (int x = Math.max(0, x1); x < Math.min(w, x2); x++) {
                p[y * w + x] = 1;
            }
        }
        return new BitMask(w, h, p);
    }

    /** Reference: pixel by pixel. */
    static BitMask naiveShift(BitMask m, int dx, int dy) {
        int w = m.width(), h = m.height();
        byte[] p = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sx = x - dx, sy = y - dy;
                if (sx >= 0 && sx < w && sy >= 0 && sy < h && m.get(sx, sy)) {
                    p[y * w + x] = 1;
                }
            }
        }
        return new BitMask(w, h, p);
    }

    static BitMask random(Random rnd, int w, int h) {
        byte[] p = new byte[w * h];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (rnd.nextInt(3) == 0 ? 1 : 0);
        }
        return new BitMask(w, h, p);
    }

    @Test
    void movesARectangle() {
        BitMask m = rect(20, 10, 2, 3, 6, 7);
        BitMask s = MaskShift.translate(m, 5, -2);
        assertEquals(new Box(7, 1, 11, 5), s.bounds());
        assertEquals(m.area(), s.area());
    }

    @Test
    void dropsPixelsLeavingTheImage() {
        BitMask m = rect(20, 10, 15, 0, 20, 4);
        BitMask s = MaskShift.translate(m, 3, 8);
        assertEquals(new Box(18, 8, 20, 10), s.bounds());
        assertEquals(4, s.area());
        assertEquals(0, MaskShift.translate(m, -20, 0).area());
        assertEquals(0, MaskShift.translate(m, 0, 10).area());
        assertEquals(0, MaskShift.translate(m, Integer.MIN_VALUE, 0).area());
    }

    @Test
    void zeroShiftIsTheSameMask() {
        BitMask m = rect(8, 8, 1, 1, 3, 3);
        assertSame(m, MaskShift.translate(m, 0, 0));
    }

    @Test
    void matchesPixelByPixelReference() {
        Random rnd = new Random(7);
        for (int t = 0; t < 50; t++) {
            BitMask m = random(rnd, 1 + rnd.nextInt(30), 1 + rnd.nextInt(20));
            int dx = rnd.nextInt(41) - 20, dy = rnd.nextInt(31) - 15;
            assertEquals(naiveShift(m, dx, dy), MaskShift.translate(m, dx, dy), dx + "," + dy);
        }
    }
}
