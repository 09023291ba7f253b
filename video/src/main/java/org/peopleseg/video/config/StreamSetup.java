package org.peopleseg.video.config;

import java.nio.file.Path;
import java.util.List;
import org.peopleseg.video.pipeline.StreamOptions;
import org.peopleseg.video.sink.OutputSelection;
import org.peopleseg.video.sink.kafka.KafkaTarget;
import org.peopleseg.video.source.SourceSpec;

/**
 * A complete, validated stream job, from a config file or from command-line flags.
 *
 * @param model          the model package (.onnx) to run
 * @param scoreThreshold the model's own score threshold (DeepStream's pre-cluster-threshold)
 * @param threads        ONNX Runtime threads (0 = one per core)
 * @param kafka          where to publish every frame's JSON line as well, or null
 */
public record StreamSetup(List<SourceSpec> sources, Path model, double scoreThreshold, int threads,
                          StreamOptions options, OutputSelection outputs, KafkaTarget kafka) {

    public StreamSetup(List<SourceSpec> sources, Path model, double scoreThreshold, int threads,
                       StreamOptions options, OutputSelection outputs) {
        this(sources, model, scoreThreshold, threads, options, outputs, null);
    }

    public StreamSetup {
        sources = List.copyOf(sources);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no sources");
        }
        if (!(scoreThreshold >= 0 && scoreThreshold <= 1)) {
            throw new IllegalArgumentException("score threshold must be in [0, 1], got " + scoreThreshold);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (automatic) or more, got " + threads);
        }
    }

    /**
     * The model threshold to use when none is given: with a tracker, its low threshold (ByteTrack's second pass
     * needs the low-scoring detections); without, 0.5.
     */
    public static double defaultThreshold(StreamOptions options) {
        return options.tracker() != null ? options.tracker().lowThreshold() : 0.5;
    }

    /** Sources with unique output names: a repeated name gets "-2", "-3", ... */
    public static List<SourceSpec> uniqueNames(List<SourceSpec> sources) {
        java.util.Set<String> used = new java.util.HashSet<>();
        java.util.List<SourceSpec> out = new java.util.ArrayList<>();
        for (SourceSpec s : sources) {
            String name = s.name();
            for (int k = 2; !used.add(name); k++) {
                name = s.name() + "-" + k;
            }
            out.add(name.equals(s.name()) ? s : s.withName(name));
        }
        return out;
    }
}
