package org.peopleseg.video.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters and latencies of one source, updated by the inference and sink threads and read by the performance
 * reporter; cumulative for the summary and per reporting window for the periodic lines.
 */
final class SourceStats {
    /** Frames taken from the channel for processing (the summary adds the dropped ones). */
    final AtomicLong framesRead = new AtomicLong();
    final AtomicLong framesInferred = new AtomicLong();
    final AtomicLong framesWritten = new AtomicLong();
    final AtomicLong inferenceErrors = new AtomicLong();
    final LatencyHistogram inference = new LatencyHistogram();
    final LatencyHistogram latency = new LatencyHistogram();
    final LatencyHistogram windowInference = new LatencyHistogram();
    final LatencyHistogram windowLatency = new LatencyHistogram();
    volatile long firstWrittenNanos = -1;
    volatile long lastWrittenNanos = -1;
    /** Exponential moving averages for the on-screen display. */
    private double recentFrameGapMs = Double.NaN;
    private double recentLatencyMs = Double.NaN;

    void recordInference(long nanos) {
        framesInferred.incrementAndGet();
        inference.recordNanos(nanos);
        windowInference.recordNanos(nanos);
    }

    synchronized void recordWritten(long readNanos, long nowNanos) {
        long lat = nowNanos - readNanos;
        latency.recordNanos(lat);
        windowLatency.recordNanos(lat);
        if (firstWrittenNanos < 0) {
            firstWrittenNanos = nowNanos;
        } else {
            double gap = (nowNanos - lastWrittenNanos) / 1e6;
            recentFrameGapMs = Double.isNaN(recentFrameGapMs) ? gap : 0.9 * recentFrameGapMs + 0.1 * gap;
        }
        recentLatencyMs = Double.isNaN(recentLatencyMs) ? lat / 1e6 : 0.9 * recentLatencyMs + 0.1 * lat / 1e6;
        lastWrittenNanos = nowNanos;
        framesWritten.incrementAndGet();
    }

    synchronized double recentFps() {
        return Double.isNaN(recentFrameGapMs) || recentFrameGapMs <= 0 ? 0 : 1000 / recentFrameGapMs;
    }

    synchronized double recentLatencyMs() {
        return Double.isNaN(recentLatencyMs) ? 0 : recentLatencyMs;
    }

    /** Frames written per second between the first and the last written frame. */
    double fps() {
        long n = framesWritten.get();
        long span = lastWrittenNanos - firstWrittenNanos;
        return n < 2 || span <= 0 ? 0 : (n - 1) * 1e9 / span;
    }
}
