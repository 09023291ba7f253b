package org.peopleseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.peopleseg.models.PackagedSegmenter;
import org.peopleseg.models.Segmenters;
import org.peopleseg.models.TestTimeAugmentation;
import org.peopleseg.runtime.session.SessionSettings;
import org.peopleseg.video.config.ConfigException;
import org.peopleseg.video.config.StreamConfigFile;
import org.peopleseg.video.config.StreamSetup;
import org.peopleseg.video.pipeline.SinkFactory;
import org.peopleseg.video.pipeline.StreamOptions;
import org.peopleseg.video.pipeline.StreamPipeline;
import org.peopleseg.video.pipeline.StreamSummary;
import org.peopleseg.video.sink.AnnotatedVideoSink;
import org.peopleseg.video.sink.OutputSelection;
import org.peopleseg.video.sink.kafka.KafkaPublisher;
import org.peopleseg.video.sink.kafka.KafkaTarget;
import org.peopleseg.video.source.SourceSpec;
import org.peopleseg.video.track.TrackerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code peopleseg stream}: the video pipeline (sources → batching → inference → tracker → sinks). */
@Command(name = "stream",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
                "Track people in videos, image sequences, network streams and cameras.",
                "",
                "For a source named NAME (file or folder name without extension) it writes into the output "
                        + "directory:",
                "  NAME.mp4      H.264: masks, boxes, track ids, FPS / latency line",
                "  NAME.jsonl    per frame: track id, box, score, mask (COCO RLE)",
                "  NAME.mot.txt  MOT tracks: frame,id,x,y,w,h,score,-1,-1,-1",
                "  summary.json  per source: frame counts, drops, FPS, latencies",
                "",
                "Files and image folders process every frame. Live sources (rtsp://, http://, cameras, or a file with "
                        + "--live) drop to the newest frame when inference is slower than the source, and count the "
                        + "drops. A source that fails ends with a message; the others go on (exit code 1). Ctrl-C "
                        + "finishes and closes every output.",
                "",
                "Either --config APP.yml (see the README for a complete example) or the flags below.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  peopleseg stream --model yolo11n-seg.onnx --source vtest.avi --output out/",
                "  peopleseg stream -m people.onnx -s cam1.mp4 -s rtsp://10.0.0.5/stream -o out/ --interval 3",
                "  peopleseg stream --config vtest.yml"})
final class StreamCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "APP.yml",
            description = "A deepstream-app style YAML config; the other options are then not allowed.")
    Path config;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
            description = "A model package ('peopleseg build' / 'import') or a catalogue name such as "
                    + "yolo11n-seg (pulled when not cached; 'peopleseg models available').")
    Path model;

    @Option(names = {"-s", "--source"}, arity = "1..*", paramLabel = "SOURCE",
            description = "Video file, image folder, rtsp:// or http(s):// URL, /dev/videoN or camera:N. Repeatable; "
                    + "several sources are batched together.")
    List<String> sources;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Directory for the outputs.")
    Path output;

    @Option(names = "--interval", defaultValue = "1", paramLabel = "N",
            description = "Run the model on every N-th frame; the tracker carries people in between "
                    + "(default: ${DEFAULT-VALUE}).")
    int interval;

    @Option(names = {"-t", "--threshold"}, paramLabel = "SCORE",
            description = "The model's score threshold (default: the tracker's low threshold, 0.1, so its second "
                    + "pass sees weak detections; 0.5 with --no-tracker).")
    Double threshold;

    @Option(names = "--live", description = "Treat file and folder sources as live: paced at their frame rate, "
            + "dropping to the newest frame when inference is slower (what a camera would do).")
    boolean live;

    @Option(names = "--loop", defaultValue = "1", paramLabel = "N",
            description = "Play file sources N times (0 = forever, for soak runs; default: ${DEFAULT-VALUE}).")
    int loops;

    @Option(names = "--fps", paramLabel = "FPS",
            description = "Frame rate of image folders (default: 10).")
    Double fps;

    @Option(names = "--max-frames", defaultValue = "0", paramLabel = "N",
            description = "Stop each source after N frames (default: 0 = no limit).")
    long maxFrames;

    @Option(names = "--duration", defaultValue = "0", paramLabel = "SECONDS",
            description = "Stop after this many seconds (default: 0 = when the sources end; with --loop 0 for soak "
                    + "runs).")
    double duration;

    @Option(names = "--no-tracker", description = "No tracking: no ids and no MOT file.")
    boolean noTracker;

    @Option(names = "--max-age", paramLabel = "FRAMES",
            description = "Frames a lost track is kept for re-identification (default: 30).")
    Integer maxAge;

    @Option(names = "--min-hits", paramLabel = "N",
            description = "Detections before a track gets an id (default: 3).")
    Integer minHits;

    @Option(names = "--mask-iou", description = "Associate by the mean of box and mask IoU (default: box IoU).")
    boolean maskIou;

    @Option(names = "--no-video", description = "Write no annotated MP4 (metadata only; faster).")
    boolean noVideo;

    @Option(names = "--video-scale", defaultValue = "1", paramLabel = "S",
            description = "Size of NAME.mp4 relative to the source, in (0, 1] (0.5 quarters the encoding work; "
                    + "default: ${DEFAULT-VALUE}).")
    double videoScale;

    @Option(names = "--perf-interval", defaultValue = "5", paramLabel = "SECONDS",
            description = "Seconds between performance lines (0 = none; default: ${DEFAULT-VALUE}).")
    double perfInterval;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "ONNX Runtime threads (default: 0 = one per physical core).")
    int threads;

    @Option(names = "--tta", defaultValue = "none", paramLabel = "AUG",
            description = "Test-time augmentation: none or flip (yolo-seg only: also runs the mirrored frame and "
                    + "fuses both views' detections; twice the inference time). Also with --config. "
                    + "Default: ${DEFAULT-VALUE}.")
    TestTimeAugmentation tta;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP/TOPIC",
            description = "Also publish every frame's JSON line to Kafka, keyed by source name, e.g. "
                    + "localhost:9092/people (idempotent, acks=all; a slow broker drops frames for Kafka only).")
    String kafka;

    @Override
    public Integer call() {
        StreamSetup setup = config != null ? fromConfig() : fromFlags();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path resolved = ModelCatalogAccess.resolveModel(setup.model(), err);
        if (!resolved.equals(setup.model())) {
            setup = new StreamSetup(setup.sources(), resolved, setup.scoreThreshold(), setup.threads(),
                    setup.options(), setup.outputs());
        }
        StreamSummary summary = run(setup, tta, out, err);
        if (summary.framesWritten() == 0) {
            throw new CliException(Main.ERROR, "no frames were processed");
        }
        return summary.allSucceeded() ? Main.OK : Main.INPUTS_FAILED;
    }

    /** Runs the pipeline of {@code setup} (model already resolved), writes summary.json and prints the table. */
    static StreamSummary run(StreamSetup setup, TestTimeAugmentation tta, PrintWriter out, PrintWriter err) {
        Path dir = setup.outputs().directory();
        StreamSummary summary;
        try (PackagedSegmenter segmenter = Segmenters.open(setup.model(), new SessionSettings(setup.threads()),
                setup.scoreThreshold(), tta)) {
            err.println("Streaming " + setup.sources().size() + " source(s) with " + setup.model().getFileName()
                    + " (" + segmenter.metadata().architecture() + ", "
                    + (setup.options().interval() == 1 ? "every frame" : "every " + setup.options().interval()
                    + " frames") + ", tracker " + (setup.options().tracker() != null ? "on" : "off")
                    + tta.describe(", ") + ") into "
                    + dir);
            if (segmenter.metadata().untrained()) {
                err.println("warning: " + setup.model().getFileName() + " has untrained (deterministic) weights: its "
                        + "detections and tracks are meaningless; see 'peopleseg import' for real pretrained models");
            }
            err.flush();
            // the broker is checked before any frame is read: down at start is one clear error, exit code 2
            try (KafkaPublisher publisher = setup.kafka() == null ? null : KafkaPublisher.open(setup.kafka())) {
                createOutputDirectory(dir); // after the model and the broker: a wrong one leaves nothing behind
                SinkFactory sinks = publisher == null ? setup.outputs() : setup.outputs().and(publisher);
                StreamPipeline pipeline = new StreamPipeline(segmenter, setup.model().getFileName().toString(),
                        setup.sources(), sinks, setup.options(), err);
                // the summary is written and printed before the guard lets a Ctrl-C'd JVM go on to exit
                try (InterruptGuard guard = InterruptGuard.install(err, 30, pipeline::requestStop)) {
                    summary = pipeline.run();
                    if (publisher != null) {
                        publisher.close(); // waits (bounded) for the broker's acknowledgements
                        summary = summary.withSinks(List.of(publisher.report()));
                    }
                    summary.write(dir.resolve("summary.json"));
                    printSummary(out, summary, dir);
                }
            }
        } catch (IOException e) {
            throw CliException.error(ErrorMessages.describe(e));
        }
        return summary;
    }

    private static void createOutputDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw CliException.error(dir + ": cannot create the output directory: " + e.getMessage());
        }
        if (!Files.isWritable(dir)) {
            throw CliException.error(dir + ": output directory is not writable");
        }
    }

    private StreamSetup fromConfig() {
        if (model != null || sources != null || output != null || kafka != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--config cannot be combined with --model, --source, --output or --kafka: put them in the config "
                            + "file");
        }
        try {
            return StreamConfigFile.load(config);
        } catch (ConfigException e) {
            throw CliException.error(e.getMessage());
        }
    }

    private StreamSetup fromFlags() {
        CommandLine cl = spec.commandLine();
        if (model == null || sources == null || output == null) {
            throw new CommandLine.ParameterException(cl,
                    "give --config APP.yml, or all of --model, --source and --output");
        }
        try {
            List<SourceSpec> specs = new ArrayList<>();
            for (String s : sources) {
                SourceSpec sp = SourceSpec.of(s).withLoops(loops);
                if (live) {
                    sp = sp.withLive(true);
                }
                if (fps != null) {
                    sp = sp.withFrameRate(fps);
                }
                specs.add(sp);
            }
            TrackerConfig tracker = null;
            if (!noTracker) {
                tracker = TrackerConfig.defaults().withUseMaskIou(maskIou);
                if (maxAge != null) {
                    tracker = tracker.withMaxAge(maxAge);
                }
                if (minHits != null) {
                    tracker = tracker.withMinHits(minHits);
                }
            } else if (maxAge != null || minHits != null || maskIou) {
                throw new CommandLine.ParameterException(cl, "--max-age, --min-hits and --mask-iou need the tracker");
            }
            StreamOptions d = StreamOptions.defaults();
            StreamOptions options = new StreamOptions(interval, d.batchTimeoutMs(), d.queueFrames(), tracker,
                    perfInterval, maxFrames, duration);
            OutputSelection outputs = new OutputSelection(output, !noVideo, true, tracker != null,
                    AnnotatedVideoSink.Options.defaults().withScale(videoScale));
            double t = threshold != null ? threshold : StreamSetup.defaultThreshold(options);
            return new StreamSetup(StreamSetup.uniqueNames(specs), model, t, threads, options, outputs,
                    kafka == null ? null : KafkaTarget.parse(kafka));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
    }

    private static void printSummary(PrintWriter out, StreamSummary s, Path dir) {
        out.printf(Locale.ROOT, "%-16s %7s %8s %7s %7s %7s %9s %9s %9s %6s  %s%n", "source", "frames", "inferred",
                "dropped", "skipped", "fps", "infer p50", "lat p50", "lat p95", "tracks", "status");
        for (StreamSummary.Source src : s.sources()) {
            out.printf(Locale.ROOT, "%-16s %7d %8d %7d %7d %7.1f %9.1f %9.1f %9.1f %6d  %s%n", src.name(),
                    src.framesWritten(), src.framesInferred(), src.framesDropped(), src.framesSkipped(), src.fps(),
                    src.inferenceMs().p50(), src.latencyMs().p50(), src.latencyMs().p95(), src.tracks(),
                    src.error() == null ? "ok" : "FAILED: " + src.error());
        }
        for (StreamSummary.Sink sink : s.sinks()) {
            out.printf(Locale.ROOT, "%s %s: %d delivered, %d failed, %d dropped%s%n", sink.name(), sink.target(),
                    sink.delivered(), sink.failed(), sink.dropped(),
                    sink.lastError() == null ? "" : " (last error: " + sink.lastError() + ")");
        }
        out.println((s.interrupted() ? "Interrupted after " : "Done in ")
                + String.format(Locale.ROOT, "%.1f s", s.wallSeconds()) + "; outputs and summary.json in " + dir);
        out.flush();
    }
}
