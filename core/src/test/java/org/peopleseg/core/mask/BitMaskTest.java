package org.peopleseg.core.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BitMaskTest {

    @Test
    void rowRunsCoverExactlyTheSetPixels() {
        Random rnd = new Random(11);
        int[][] sizes = {{1, 1}, {1, 5}, {5, 1}, {33, 7}, {70, 40}};
        for (int[] s : sizes) {
            for (double density : new double[] {0, 0.1, 0.6, 1}) {
                int w = s[0], h = s[1];
                byte[] px = new byte[w * h];
                for (int i = 0; i < px.length; i++) {
                    px[i] = (byte) (rnd.nextDouble() < density ? 1 : 0);
                }
                BitMask m = new BitMask(w, h, px);
                byte[] seen = new byte[w * h];
                int[] lastEnd = {-1, -1}; // y, x1 of the previous run: runs are maximal and ordered
                m.forEachRowRun((y, x0, x1) -> {
                    assertTrue(x0 < x1 && x0 >= 0 && x1 <= w);
                    assertTrue(y > lastEnd[0] || x0 > lastEnd[1], "ordered, maximal runs");
                    for (int x = x0; x < x1; x++) {
                        seen[y * w + x] = 1;
                    }
                    lastEnd[0] = y;
                    lastEnd[1] = x1;
                });
                assertArrayEquals(px, seen, w + "x" + h + " p=" + density);
            }
        }
    }
}
