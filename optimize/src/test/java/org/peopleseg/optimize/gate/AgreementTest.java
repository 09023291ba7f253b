package org.peopleseg.optimize.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.mask.BitMask;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.Instance;

class AgreementTest {
    private static Instance person(double x, double score, BitMask mask) {
        return new Instance(new Box(x, 0, x + 10, 20), score, 1, "person", mask);
    }

    private static BitMask mask(int from, int to) {
        byte[] px = new byte[40 * 20];
        for (int y = 0; y < 20; y++) {
            for (int x = from; x < to; x++) {
                px[y * 40 + x] = 1;
            }
        }
        return new BitMask(40, 20, px);
    }

    @Test
    void identicalDetectionsAgreeFully() {
        Detections d = new Detections("a", 40, 20, List.of(person(0, 0.9, mask(0, 10)), person(20, 0.8, mask(20, 30))));
        Agreement a = Agreement.of(List.of(d), List.of(d), 0.5);
        assertEquals(1.0, a.f1(), 0);
        assertEquals(1.0, a.meanMaskIou(), 0);
        assertEquals(1.0, a.meanBoxIou(), 0);
    }

    @Test
    void shiftedMissedAndBelowThresholdDetections() {
        Detections ref = new Detections("a", 40, 20, List.of(person(0, 0.9, mask(0, 10)), person(20, 0.8, mask(20, 30))));
        // the first moved by 2 px (box IoU 8/12 > 0.5), the second moved by 6 (IoU 4/16: unmatched), one below 0.5
        Detections cand = new Detections("a", 40, 20, List.of(person(2, 0.9, mask(2, 12)), person(26, 0.7, mask(26, 36)),
                person(0, 0.3, mask(0, 10))));
        Agreement a = Agreement.of(List.of(ref), List.of(cand), 0.5);
        assertEquals(2, a.reference());
        assertEquals(2, a.candidate());
        assertEquals(1, a.matched());
        assertEquals(0.5, a.f1(), 1e-12);
        assertEquals(8.0 / 12, a.meanMaskIou(), 1e-12);
    }

    @Test
    void bothEmptyAgree() {
        Detections none = new Detections("a", 40, 20, List.of());
        assertEquals(1.0, Agreement.of(List.of(none), List.of(none), 0.5).f1(), 0);
    }
}
