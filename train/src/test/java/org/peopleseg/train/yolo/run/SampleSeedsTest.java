package org.peopleseg.train.yolo.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Consecutive image ids must not get near-identical first draws (the scale jitter is the first): over 356 ids
 * the first draws spread over [0, 1) like uniform numbers, unlike new Random(id) whose first draws stay within
 * ~0.03 of each other; the seed is a pure function of (seed, epoch, id), so resume reproduces it.
 */
class SampleSeedsTest {
    @Test
    void firstDrawsOfConsecutiveIdsAreSpread() {
        int[] bins = new int[10];
        double lo = 1, hi = 0, rawLo = 1, rawHi = 0;
        for (long id = 0; id < 356; id++) {
            double u = new Random(SampleSeeds.of(0, 0, id)).nextDouble();
            bins[(int) (u * 10)]++;
            lo = Math.min(lo, u);
            hi = Math.max(hi, u);
            double raw = new Random(id).nextDouble();
            rawLo = Math.min(rawLo, raw);
            rawHi = Math.max(rawHi, raw);
        }
        assertTrue(rawHi - rawLo < 0.05, "the problem this fixes: new Random(id) spans only " + (rawHi - rawLo));
        assertTrue(lo < 0.02 && hi > 0.98, "spread: " + lo + " .. " + hi);
        for (int b : bins) {
            assertTrue(b > 15 && b < 60, "roughly uniform deciles (expected 35.6 each): " + java.util.Arrays.toString(bins));
        }
        assertEquals(SampleSeeds.of(3, 1, 17), SampleSeeds.of(3, 1, 17));
        assertTrue(SampleSeeds.of(3, 1, 17) != SampleSeeds.of(3, 2, 17) && SampleSeeds.of(3, 1, 17) != SampleSeeds.of(4, 1, 17));
    }
}
