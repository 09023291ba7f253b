package org.peopleseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.peopleseg.core.sys.ProcessMemory;
import org.peopleseg.models.PackagedSegmenter;
import org.peopleseg.models.Segmenters;
import org.peopleseg.runtime.session.SessionSettings;
import org.peopleseg.video.pipeline.StreamOptions;
import org.peopleseg.video.pipeline.StreamPipeline;
import org.peopleseg.video.pipeline.StreamSummary;
import org.peopleseg.video.sink.AnnotatedVideoSink;
import org.peopleseg.video.sink.OutputSelection;
import org.peopleseg.video.source.FrameSource;
import org.peopleseg.video.source.FrameSources;
import org.peopleseg.video.source.SourceException;
import org.peopleseg.video.source.SourceSpec;
import org.peopleseg.video.source.VideoFrame;
import org.peopleseg.video.track.TrackerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code peopleseg bench-stream}: what the stream pipeline costs on top of the model. The same frames go through
 * bare {@code Segmenter.segment} calls and through the whole pipeline (decode, batching, tracker, sinks), in
 * alternating rounds with the same warm model, so both see the same machine load.
 */
@Command(name = "bench-stream",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
                "Measure the stream pipeline's overhead: frames per second of 'stream' vs bare model calls on the "
                        + "same frames.",
                "",
                "The first N frames of the source are decoded once into memory for the bare runs; the pipeline runs "
                        + "decode them itself (as 'stream' does) and write the outputs to a temporary folder (JSON "
                        + "Lines and MOT always, the MP4 with --video). Rounds alternate bare / pipeline; the report "
                        + "gives each round and the medians. Overhead = 1 - pipeline fps / bare fps.",
                ""},
        footerHeading = "%nExample:%n",
        footer = {"  peopleseg bench-stream -m yolo11n-seg.onnx -s vtest.avi -n 200 --rounds 3 --threads 2"})
final class StreamBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL",
            description = "A model package ('peopleseg build' / 'import') or a catalogue name such as "
                    + "yolo11n-seg (pulled when not cached; 'peopleseg models available').")
    Path model;

    @Option(names = {"-s", "--source"}, required = true, paramLabel = "SOURCE",
            description = "A video file or image folder.")
    String source;

    @Option(names = {"-n", "--frames"}, defaultValue = "200", paramLabel = "N",
            description = "Frames per run (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "R",
            description = "Bare / pipeline round pairs (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--video", description = "Also encode the annotated MP4 in the pipeline runs.")
    boolean video;

    @Option(names = "--video-scale", defaultValue = "1", paramLabel = "S",
            description = "With --video: its size relative to the source (default: ${DEFAULT-VALUE}).")
    double videoScale;

    @Option(names = "--interval", defaultValue = "1", paramLabel = "N",
            description = "Pipeline inference interval (default: ${DEFAULT-VALUE}; the bare runs infer every frame).")
    int interval;

    @Option(names = {"-t", "--threshold"}, defaultValue = "0.1", paramLabel = "SCORE",
            description = "Model score threshold for both (default: ${DEFAULT-VALUE}, as 'stream' uses).")
    double threshold;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "ONNX Runtime threads (default: 0 = one per physical core).")
    int threads;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        if (!(videoScale > 0 && videoScale <= 1)) {
            throw new CommandLine.ParameterException(cl, "--video-scale must be in (0, 1], got " + videoScale);
        }
        if (frames < 1 || rounds < 1 || interval < 1) {
            throw new CommandLine.ParameterException(cl, "--frames, --rounds and --interval must be at least 1");
        }
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        model = ModelCatalogAccess.resolveModel(model, err);
        SourceSpec sourceSpec = SourceSpec.of(source);
        if (sourceSpec.kind().live()) {
            throw new CommandLine.ParameterException(cl, "--source must be a file or an image folder");
        }
        List<VideoFrame> decoded = decode(sourceSpec, err);
        Path tmp = Files.createTempDirectory("peopleseg-bench-stream");
        double[] bare = new double[rounds];
        double[] piped = new double[rounds];
        try (PackagedSegmenter segmenter = Segmenters.open(model, new SessionSettings(threads), threshold)) {
            err.println("Warm-up ...");
            err.flush();
            for (int i = 0; i < Math.min(3, decoded.size()); i++) {
                segmenter.segment(decoded.get(i).image(), "warm-up");
            }
            StreamOptions options = new StreamOptions(interval, 40, 4, TrackerConfig.defaults(), 0,
                    decoded.size(), 0);
            OutputSelection outputs = new OutputSelection(tmp, video, true, true,
                    AnnotatedVideoSink.Options.defaults().withScale(videoScale));
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                for (VideoFrame f : decoded) {
                    segmenter.segment(f.image(), "bare");
                }
                bare[r] = decoded.size() / ((System.nanoTime() - t0) / 1e9);
                StreamPipeline pipeline = new StreamPipeline(segmenter, model.getFileName().toString(),
                        List.of(sourceSpec), outputs, options, new PrintWriter(Writer.nullWriter()));
                long t1 = System.nanoTime();
                StreamSummary s = pipeline.run();
                double secs = (System.nanoTime() - t1) / 1e9;
                if (!s.allSucceeded() || s.framesWritten() != decoded.size()) {
                    throw CliException.error(source + ": the pipeline run processed " + s.framesWritten() + " of "
                            + decoded.size() + " frames: " + s.sources().get(0).error());
                }
                piped[r] = s.framesWritten() / secs;
                err.printf(Locale.ROOT, "round %d: bare %.2f fps, pipeline %.2f fps%n", r + 1, bare[r], piped[r]);
                err.flush();
            }
        } finally {
            deleteTree(tmp);
        }
        double mb = median(bare);
        double mp = median(piped);
        ProcessMemory mem = ProcessMemory.read();
        out.printf(Locale.ROOT, "Source:    %s, %d frames of %dx%d; model %s, %s threads, threshold %.2f%n", source,
                decoded.size(), decoded.get(0).width(), decoded.get(0).height(), model.getFileName(),
                threads == 0 ? "auto" : Integer.toString(threads), threshold);
        out.printf(Locale.ROOT, "Pipeline:  decode + batch 1 + tracker + JSON Lines + MOT%s, interval %d%n",
                video ? " + H.264 MP4" + (videoScale < 1 ? " at scale " + videoScale : "") : "", interval);
        out.printf(Locale.ROOT, "Bare:      %s fps (median %.2f)%n", list(bare), mb);
        out.printf(Locale.ROOT, "Pipeline:  %s fps (median %.2f)%n", list(piped), mp);
        out.printf(Locale.ROOT, "Overhead:  %.1f %% (1 - %.2f / %.2f); peak RSS %.0f MiB%n", 100 * (1 - mp / mb), mp,
                mb, ProcessMemory.mib(mem.peakBytes()));
        out.flush();
        return Main.OK;
    }

    private List<VideoFrame> decode(SourceSpec s, PrintWriter err) {
        List<VideoFrame> list = new ArrayList<>();
        try (FrameSource src = FrameSources.open(s, w -> err.println("warning: " + w))) {
            VideoFrame f;
            while (list.size() < frames && (f = src.read()) != null) {
                list.add(f);
            }
        } catch (SourceException e) {
            throw CliException.error(e.getMessage());
        }
        if (list.isEmpty()) {
            throw CliException.error(source + ": no frames");
        }
        return list;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static String list(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double x : v) {
            sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", x));
        }
        return sb.toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
