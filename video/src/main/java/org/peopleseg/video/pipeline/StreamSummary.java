package org.peopleseg.video.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.peopleseg.core.io.AtomicFiles;

/**
 * What a stream run did, per source: the content of summary.json (schema {@value #SCHEMA}, snake_case keys).
 *
 * @param interrupted true when the run was stopped (Ctrl-C) before its sources ended
 * @param sinks       message outputs beyond the files (Kafka): what they delivered
 */
public record StreamSummary(String schema, String model, int interval, boolean tracking, double wallSeconds,
                            boolean interrupted, List<Source> sources, List<Sink> sinks) {

    public StreamSummary {
        sinks = sinks == null ? List.of() : List.copyOf(sinks);
    }

    public StreamSummary(String schema, String model, int interval, boolean tracking, double wallSeconds,
                         boolean interrupted, List<Source> sources) {
        this(schema, model, interval, tracking, wallSeconds, interrupted, sources, List.of());
    }

    /**
     * A message sink's counts over all sources: every frame written is delivered (acknowledged), failed (sent but
     * never acknowledged) or dropped (not sent: the sink's buffer was full).
     *
     * @param lastError the last delivery error, or null
     */
    public record Sink(String name, String target, long delivered, long failed, long dropped, String lastError) {}

    public StreamSummary withSinks(List<Sink> s) {
        return new StreamSummary(schema, model, interval, tracking, wallSeconds, interrupted, sources, s);
    }

    public static final String SCHEMA = "peopleseg.stream-summary/1";

    /**
     * One source's counts: every frame read is either written ({@code frames_written}) or, on live sources,
     * replaced by a newer one before inference ({@code frames_dropped}); {@code frames_inferred} of the written
     * frames went through the model, the others were predicted by the tracker.
     *
     * @param fps          frames written per second over the source's active time
     * @param inferenceMs  model time per inferred frame
     * @param latencyMs    end to end, from the frame being decoded to its outputs being written
     * @param tracks       distinct track ids given out
     * @param error        why the source ended early, or null
     */
    public record Source(String name, String uri, String kind, boolean live, long framesRead, long framesInferred,
                         long framesWritten, long framesDropped, long framesSkipped, long inferenceErrors,
                         long reconnects, double fps, LatencyHistogram.Percentiles inferenceMs,
                         LatencyHistogram.Percentiles latencyMs, long tracks, List<String> outputs, String error) {}

    /** True when every source ended normally. */
    public boolean allSucceeded() {
        return sources.stream().allMatch(s -> s.error() == null);
    }

    public long framesWritten() {
        return sources.stream().mapToLong(Source::framesWritten).sum();
    }

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("summary not serialisable", e);
        }
    }

    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson());
    }

    public static StreamSummary read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), StreamSummary.class);
    }
}
