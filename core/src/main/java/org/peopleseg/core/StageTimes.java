package org.peopleseg.core;

/**
 * Wall time of one {@link Segmenter} call split by stage, in nanoseconds: for benchmarks and performance lines.
 */
public record StageTimes(long preprocessNanos, long inferenceNanos, long postprocessNanos) {
    public static final StageTimes NONE = new StageTimes(0, 0, 0);

    public long totalNanos() {
        return preprocessNanos + inferenceNanos + postprocessNanos;
    }
}
