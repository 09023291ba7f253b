package org.peopleseg.video.track;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.peopleseg.core.mask.BitMask;

class MaskRunsTest {

    @Test
    void shiftedIouMatchesBitMaskIouOfTheShiftedMask() {
        Random rnd = new Random(11);
        for (int t = 0; t < 200; t++) {
            int w = 1 + rnd.nextInt(25), h = 1 + rnd.nextInt(25);
            BitMask a = t % 3 == 0 ? MaskShiftTest.rect(w, h, rnd.nextInt(w), rnd.nextInt(h), rnd.nextInt(w + 1),
                    rnd.nextInt(h + 1)) : MaskShiftTest.random(rnd, w, h);
            BitMask b = MaskShiftTest.random(rnd, w, h);
            int dx = rnd.nextInt(21) - 10, dy = rnd.nextInt(21) - 10;
            MaskRuns ra = MaskRuns.of(a), rb = MaskRuns.of(b);
            assertEquals(a.area(), ra.area());
            assertEquals(MaskShift.translate(a, dx, dy).area(), ra.shiftedArea(dx, dy));
            double want = MaskShift.translate(a, dx, dy).iou(b);
            assertEquals(want, ra.iouShifted(dx, dy, rb, rb.area()), 1e-12, "trial " + t);
        }
    }

    @Test
    void emptyMasks() {
        MaskRuns e = MaskRuns.of(BitMask.empty(5, 4));
        assertEquals(0, e.area());
        assertEquals(0, e.iouShifted(1, 1, e, 0));
        MaskRuns r = MaskRuns.of(MaskShiftTest.rect(5, 4, 1, 1, 3, 3));
        assertEquals(0, e.iouShifted(0, 0, r, r.area()));
        assertEquals(0, r.iouShifted(0, 0, e, 0));
        assertEquals(1, r.iouShifted(0, 0, r, r.area()));
    }
}
