package org.peopleseg.cli;

import java.util.Arrays;

/**
 * Summary of a series of latencies, in milliseconds. Percentiles are nearest-rank (the smallest sample with at least
 * p% of the samples at or below it, so p99 of 20 samples is the maximum); the median of an even count is the mean of
 * the two middle samples.
 */
record LatencyStats(double min, double median, double mean, double p90, double p95, double p99, double max) {

    static LatencyStats ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] ms = Arrays.stream(nanos).mapToDouble(n -> n / 1e6).sorted().toArray();
        int n = ms.length;
        double median = n % 2 == 1 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
        return new LatencyStats(ms[0], median, Arrays.stream(ms).average().orElseThrow(), percentile(ms, 90),
                percentile(ms, 95), percentile(ms, 99), ms[n - 1]);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    double[] values() {
        return new double[] {min, median, mean, p90, p95, p99, max};
    }

    static final String[] NAMES = {"min", "median", "mean", "p90", "p95", "p99", "max"};
}
