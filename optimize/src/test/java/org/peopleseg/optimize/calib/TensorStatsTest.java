package org.peopleseg.optimize.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TensorStatsTest {
    @Test
    void streamedHistogramEqualsOneOverAllValuesAtTheFinalRange() {
        Random r = new Random(7);
        float[][] batches = new float[5][];
        for (int b = 0; b < batches.length; b++) {
            batches[b] = new float[10_000];
            for (int i = 0; i < batches[b].length; i++) {
                batches[b][i] = (float) (r.nextGaussian() * (b + 1)); // the range grows batch by batch
            }
        }
        TensorStats s = new TensorStats();
        for (float[] b : batches) {
            s.add(FloatBuffer.wrap(b));
        }
        float[] all = Arrays.stream(batches).collect(FloatCollector::new, FloatCollector::add, FloatCollector::addAll).values();
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (float v : all) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(min, s.min(), 0);
        assertEquals(max, s.max(), 0);
        assertEquals(all.length, s.count());
        assertEquals(all.length, Arrays.stream(s.positive()).sum() + Arrays.stream(s.negative()).sum());
        // a value lands in bin floor(|v| / width) of the range it was added at; after doubling, bins merge exactly,
        // so every value is in the final bin containing it, or (float rounding at an edge) a neighbour
        long[] direct = new long[TensorStats.BINS];
        for (float v : all) {
            if (v >= 0) {
                direct[Math.min(TensorStats.BINS - 1, (int) (v / s.binWidth()))]++;
            }
        }
        long off = 0;
        for (int i = 0; i < TensorStats.BINS; i++) {
            off += Math.abs(direct[i] - s.positive()[i]);
        }
        assertEquals(0, off, 2 * 5, "values in another bin than a direct histogram puts them");
    }

    @Test
    void allZeroTensorKeepsAZeroRangeAndItsCount() {
        TensorStats s = new TensorStats();
        s.add(FloatBuffer.wrap(new float[100]));
        assertEquals(0, s.range(), 0);
        assertEquals(100, s.positive()[0]);
        assertEquals(0, s.max(), 0);
    }

    @Test
    void nonFiniteValuesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new TensorStats().add(FloatBuffer.wrap(new float[] {1, Float.NaN})));
    }

    /** Collects float arrays (streams have no FloatStream). */
    static final class FloatCollector {
        private float[] v = new float[0];

        void add(float[] a) {
            float[] n = Arrays.copyOf(v, v.length + a.length);
            System.arraycopy(a, 0, n, v.length, a.length);
            v = n;
        }

        void addAll(FloatCollector o) {
            add(o.v);
        }

        float[] values() {
            return v;
        }
    }
}
