package org.peopleseg.optimize.calib;

import java.nio.FloatBuffer;

/**
 * Streaming statistics of one activation over the calibration images: min, max and two histograms (positive values
 * and magnitudes of negative ones) of {@value #BINS} bins over [0, range]. When a larger value arrives the range
 * doubles and neighbouring bins merge, so memory stays fixed however many images are seen and nothing of the
 * activations themselves is kept.
 */
public final class TensorStats {
    public static final int BINS = 2048;

    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private long count;
    /** Upper edge of the last bin; 0 until a non-zero value was seen. */
    private double range;
    private final long[] positive;
    private final long[] negative;

    public TensorStats() {
        this(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 0, new long[BINS], new long[BINS]);
    }

    TensorStats(double min, double max, long count, double range, long[] positive, long[] negative) {
        if (positive.length != BINS || negative.length != BINS) {
            throw new IllegalArgumentException("histograms need " + BINS + " bins");
        }
        this.min = min;
        this.max = max;
        this.count = count;
        this.range = range;
        this.positive = positive;
        this.negative = negative;
    }

    /** Adds every value of the buffer (from its position to its limit). */
    public void add(FloatBuffer values) {
        int n = values.remaining();
        if (n == 0) {
            return;
        }
        int start = values.position();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = values.get(start + i);
            if (v != v) {
                throw new IllegalArgumentException("the activation has NaN values");
            }
            if (v < lo) {
                lo = v;
            }
            if (v > hi) {
                hi = v;
            }
        }
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("the activation has non-finite values (NaN or infinity)");
        }
        min = Math.min(min, lo);
        max = Math.max(max, hi);
        count += n;
        double amax = Math.max(Math.abs(lo), Math.abs(hi));
        if (range == 0 && amax > 0) {
            range = amax;
        }
        while (amax > range) {
            halve(positive);
            halve(negative);
            range *= 2;
        }
        double perBin = range == 0 ? 0 : BINS / range;
        for (int i = 0; i < n; i++) {
            float v = values.get(start + i);
            if (v >= 0) {
                positive[Math.min(BINS - 1, (int) (v * perBin))]++;
            } else {
                negative[Math.min(BINS - 1, (int) (-v * perBin))]++;
            }
        }
    }

    private static void halve(long[] h) {
        for (int i = 0; i < BINS / 2; i++) {
            h[i] = h[2 * i] + h[2 * i + 1];
        }
        java.util.Arrays.fill(h, BINS / 2, BINS, 0);
    }

    public double min() {
        return count == 0 ? 0 : min;
    }

    public double max() {
        return count == 0 ? 0 : max;
    }

    public long count() {
        return count;
    }

    public double range() {
        return range;
    }

    public double binWidth() {
        return range / BINS;
    }

    long[] positive() {
        return positive;
    }

    long[] negative() {
        return negative;
    }

    /** Histogram of |x| (both signs together), as TensorRT's entropy calibrator builds it. */
    long[] magnitudes() {
        long[] h = new long[BINS];
        for (int i = 0; i < BINS; i++) {
            h[i] = positive[i] + negative[i];
        }
        return h;
    }
}
