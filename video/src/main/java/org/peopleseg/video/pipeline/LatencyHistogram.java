package org.peopleseg.video.pipeline;

import java.util.Arrays;

/**
 * Latencies of a run of any length in constant memory: exact microseconds below 1 ms, three significant digits
 * above (at most 0.5 % off, far below the noise of a shared machine), up to ~2.7 hours. A stream that runs for
 * days must not keep every sample, which a sorted list would.
 */
public final class LatencyHistogram {
    private static final int EXACT = 1000;       // 0..999 µs, one bucket each
    private static final int PER_DECADE = 900;   // mantissas 100..999
    private static final int DECADES = 7;        // 10^3 .. 10^10 µs
    private final long[] counts = new long[EXACT + DECADES * PER_DECADE];
    private long total;
    private double sumMs;
    private double minMs = Double.POSITIVE_INFINITY;
    private double maxMs;

    public synchronized void recordNanos(long nanos) {
        long us = Math.max(0, nanos / 1000);
        counts[bucket(us)]++;
        total++;
        double ms = nanos / 1e6;
        sumMs += ms;
        minMs = Math.min(minMs, ms);
        maxMs = Math.max(maxMs, ms);
    }

    static int bucket(long us) {
        if (us < EXACT) {
            return (int) us;
        }
        int decade = 0;
        long m = us;
        while (m >= 1000 && decade < DECADES) {
            m /= 10;
            decade++;
        }
        if (m >= 1000) {
            return EXACT + DECADES * PER_DECADE - 1; // beyond range: the last bucket
        }
        return EXACT + (decade - 1) * PER_DECADE + (int) (m - 100);
    }

    /** The middle of a bucket, in microseconds. */
    static double bucketValueUs(int b) {
        if (b < EXACT) {
            return b;
        }
        int decade = (b - EXACT) / PER_DECADE + 1;
        long mantissa = (b - EXACT) % PER_DECADE + 100;
        double scale = Math.pow(10, decade);
        return (mantissa + 0.5) * scale;
    }

    public synchronized long count() {
        return total;
    }

    /** Nearest-rank percentile in ms (p in (0, 100]); 0 when empty. The extremes are exact. */
    public synchronized double percentileMs(double p) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * total));
        if (rank >= total) {
            return maxMs; // the largest sample: exact, also beyond the buckets' range
        }
        if (rank == 1) {
            return minMs;
        }
        long seen = 0;
        for (int b = 0; b < counts.length; b++) {
            seen += counts[b];
            if (seen >= rank) {
                double v = bucketValueUs(b) / 1000.0;
                return Math.max(minMs, Math.min(maxMs, v));
            }
        }
        return maxMs;
    }

    public synchronized double meanMs() {
        return total == 0 ? 0 : sumMs / total;
    }

    public synchronized double maxMs() {
        return maxMs;
    }

    public synchronized double minMs() {
        return total == 0 ? 0 : minMs;
    }

    /** p50 / p90 / p95 / p99 / max, for reports. */
    public synchronized Percentiles percentiles() {
        return new Percentiles(total, percentileMs(50), percentileMs(90), percentileMs(95), percentileMs(99),
                maxMs(), meanMs());
    }

    /** The percentiles so far, then {@link #reset()}, as one step: no sample falls between the two. */
    public synchronized Percentiles snapshotAndReset() {
        Percentiles p = percentiles();
        reset();
        return p;
    }

    public synchronized void reset() {
        Arrays.fill(counts, 0);
        total = 0;
        sumMs = 0;
        minMs = Double.POSITIVE_INFINITY;
        maxMs = 0;
    }

    /** A snapshot, in milliseconds. */
    public record Percentiles(long count, double p50, double p90, double p95, double p99, double max, double mean) {}
}
