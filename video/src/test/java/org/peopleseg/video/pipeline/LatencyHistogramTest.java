package org.peopleseg.video.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Constant-memory latency percentiles against the exact nearest-rank values of the same samples. */
class LatencyHistogramTest {
    private static final double[] PS = {1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100};

    /** Nearest rank: the smallest sample with at least p % of the samples at or below it. */
    private static double exactMs(long[] sortedNanos, double p) {
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * sortedNanos.length));
        return sortedNanos[(int) rank - 1] / 1e6;
    }

    private static long[] logUniformNanos(Random r, int n, double minMs, double maxMs) {
        long[] v = new long[n];
        double lo = Math.log(minMs), hi = Math.log(maxMs);
        for (int i = 0; i < n; i++) {
            v[i] = Math.round(Math.exp(lo + r.nextDouble() * (hi - lo)) * 1e6);
        }
        return v;
    }

    @Test
    void percentilesWithinHalfAPercentOfExactNearestRank() {
        Random r = new Random(42);
        for (int trial = 0; trial < 6; trial++) {
            int n = trial % 2 == 0 ? 1 + r.nextInt(200) : 20_000 + r.nextInt(30_000);
            long[] v = trial < 4 ? logUniformNanos(r, n, 1.0, 60_000) : logUniformNanos(r, n, 20, 400);
            LatencyHistogram h = new LatencyHistogram();
            for (long x : v) {
                h.recordNanos(x);
            }
            long[] sorted = v.clone();
            Arrays.sort(sorted);
            assertEquals(n, h.count());
            for (double p : PS) {
                double exact = exactMs(sorted, p);
                double got = h.percentileMs(p);
                assertTrue(Math.abs(got - exact) <= exact * 0.005 + 1e-9,
                        "trial " + trial + " n=" + n + " p" + p + ": " + got + " ms vs exact " + exact + " ms");
            }
            assertEquals(sorted[0] / 1e6, h.minMs(), 1e-9, "min is exact");
            assertEquals(sorted[n - 1] / 1e6, h.maxMs(), 1e-9, "max is exact");
            assertEquals(sorted[n - 1] / 1e6, h.percentileMs(100), 1e-9, "p100 is the exact max");
            double mean = Arrays.stream(v).average().orElseThrow() / 1e6;
            assertEquals(mean, h.meanMs(), mean * 1e-9);
            LatencyHistogram.Percentiles s = h.percentiles();
            assertEquals(n, s.count());
            assertEquals(h.percentileMs(50), s.p50());
            assertEquals(h.percentileMs(95), s.p95());
            assertEquals(h.maxMs(), s.max());
            assertTrue(s.p50() <= s.p90() && s.p90() <= s.p95() && s.p95() <= s.p99() && s.p99() <= s.max());
        }
    }

    @Test
    void nearestRankPicksTheRightSample() {
        // 100 samples 10, 20, ..., 1000 ms: far apart, so an off-by-one rank would show
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 100; i >= 1; i--) {
            h.recordNanos(i * 10_000_000L);
        }
        assertEquals(500, h.percentileMs(50), 500 * 0.005);
        assertEquals(900, h.percentileMs(90), 900 * 0.005);
        assertEquals(950, h.percentileMs(95), 950 * 0.005);
        assertEquals(990, h.percentileMs(99), 990 * 0.005);
        assertEquals(10, h.percentileMs(0.5), 1e-9, "rank 1: the exact minimum");
        assertEquals(1000, h.percentileMs(100), 1e-9);
        // a single sample is every percentile, exactly
        LatencyHistogram one = new LatencyHistogram();
        one.recordNanos(123_456_789L);
        for (double p : PS) {
            assertEquals(123.456789, one.percentileMs(p), 1e-9);
        }
    }

    @Test
    void belowOneMillisecondResolutionIsOneMicrosecond() {
        Random r = new Random(7);
        long[] v = new long[5000];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1000 + r.nextInt(998_000); // 1 µs .. 0.999 ms
        }
        LatencyHistogram h = new LatencyHistogram();
        for (long x : v) {
            h.recordNanos(x);
        }
        long[] sorted = v.clone();
        Arrays.sort(sorted);
        for (double p : PS) {
            assertEquals(exactMs(sorted, p), h.percentileMs(p), 0.001 + 1e-12, "p" + p);
        }
        assertEquals(sorted[0] / 1e6, h.minMs(), 1e-12);
    }

    @Test
    void extremesAreExactEvenBeyondTheRange() {
        LatencyHistogram h = new LatencyHistogram();
        h.recordNanos(0);
        h.recordNanos(5L * 3600 * 1_000_000_000L); // 5 h, past the last bucket
        assertEquals(0, h.minMs());
        assertEquals(5 * 3600 * 1000.0, h.maxMs(), 1e-6);
        assertEquals(5 * 3600 * 1000.0, h.percentileMs(100), 1e-6, "clamped to the exact max");
        assertEquals(0, h.percentileMs(50));
        h.recordNanos(-5); // a clock step backwards must not break the histogram
        assertEquals(3, h.count());
    }

    @Test
    void resetForgetsEverything() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 1000; i++) {
            h.recordNanos(i * 1_000_000L);
        }
        h.reset();
        assertEquals(0, h.count());
        assertEquals(0, h.percentileMs(50));
        assertEquals(0, h.minMs());
        assertEquals(0, h.maxMs());
        assertEquals(0, h.meanMs());
        LatencyHistogram.Percentiles empty = h.percentiles();
        assertEquals(new LatencyHistogram.Percentiles(0, 0, 0, 0, 0, 0, 0), empty);
        h.recordNanos(7_000_000);
        h.recordNanos(9_000_000);
        assertEquals(2, h.count());
        assertEquals(7, h.minMs(), 1e-9, "the minimum restarts after a reset");
        assertEquals(9, h.maxMs(), 1e-9);
        assertEquals(8, h.meanMs(), 1e-9);
        assertEquals(9, h.percentileMs(100), 1e-9);
    }

    @Test
    void memoryIsConstantWhateverTheNumberOfSamples() throws Exception {
        LatencyHistogram h = new LatencyHistogram();
        Map<String, Integer> before = arrayLengths(h);
        Random r = new Random(1);
        for (int i = 0; i < 2_000_000; i++) {
            h.recordNanos((long) (r.nextDouble() * 20e9));
        }
        assertEquals(2_000_000, h.count());
        assertEquals(before, arrayLengths(h), "no array grows with the number of samples");
        for (Field f : LatencyHistogram.class.getDeclaredFields()) {
            assertFalse(Collection.class.isAssignableFrom(f.getType()) || Map.class.isAssignableFrom(f.getType()),
                    "no collection that could keep samples: " + f);
        }
        assertTrue(before.values().stream().mapToLong(Integer::longValue).sum() < 20_000,
                "a few thousand buckets: " + before);
    }

    private static Map<String, Integer> arrayLengths(LatencyHistogram h) throws IllegalAccessException {
        Map<String, Integer> m = new HashMap<>();
        for (Field f : LatencyHistogram.class.getDeclaredFields()) {
            if (f.getType().isArray() && !Modifier.isStatic(f.getModifiers())) {
                f.setAccessible(true);
                m.put(f.getName(), java.lang.reflect.Array.getLength(f.get(h)));
            }
        }
        assertFalse(m.isEmpty());
        return m;
    }
}
