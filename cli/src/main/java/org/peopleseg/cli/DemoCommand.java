package org.peopleseg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.peopleseg.models.TestTimeAugmentation;
import org.peopleseg.models.catalog.ModelCache;
import org.peopleseg.video.config.StreamSetup;
import org.peopleseg.video.pipeline.StreamOptions;
import org.peopleseg.video.pipeline.StreamSummary;
import org.peopleseg.video.sink.AnnotatedVideoSink;
import org.peopleseg.video.sink.OutputSelection;
import org.peopleseg.video.source.SourceSpec;
import org.peopleseg.video.track.TrackerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code peopleseg demo}: real people segmented and tracked on a fresh machine. Takes the best model it can get
 * without asking ({@link DemoModel}) and real input ({@link DemoInputs}), runs the {@code stream} pipeline over
 * the first frames of vtest.avi (annotated H.264 MP4 with tracked masks, JSON Lines, MOT), {@code infer} over a few
 * stills (overlays, COCO results), and ends with what it found and where to look.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
                "See real people segmented and tracked: a pretrained model on a real pedestrian video.",
                "",
                "Model, the best obtainable without asking: the cached YOLO11n-seg package; else YOLO11n-seg from "
                        + "the shared data ($PEOPLESEG_SHARED or ../shared; no network); else 'models pull "
                        + "yolo11n-seg' (3.7 MB, internet once); only when none works the UNTRAINED Mask R-CNN, "
                        + "saying why.",
                "",
                "Input: OpenCV's vtest.avi (shared data, cache, else pulled, 8.1 MB) and a few COCO photos from the "
                        + "shared data; drawn street scenes only when there is nothing real.",
                "",
                "Output (--output): vtest.mp4 (H.264, tracked masks), vtest.jsonl, vtest.mot.txt, summary.json, "
                        + "overlays/ (stills) and results.json.",
                ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:some stills could not be read", "2:the demo could not run",
                "3:fewer people or tracks than --min-mean-people / --min-tracks"})
final class DemoCommand implements Callable<Integer> {
    static final String REAL_WEIGHTS_HINT = "peopleseg models pull yolo11n-seg";

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, defaultValue = "peopleseg-demo", paramLabel = "DIR",
            description = "Where the results go (default: ./${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--work", paramLabel = "DIR",
            description = "The cache root: models/ holds pulled files and packages (default: $PEOPLESEG_HOME, "
                    + "else $XDG_CACHE_HOME/peopleseg or ~/.cache/peopleseg).")
    Path work;

    // 300 frames (30 s of video) with the int8 package: ~35 s of streaming on 2 busy cores (README, demo)
    @Option(names = "--frames", defaultValue = "300", paramLabel = "N",
            description = "Video frames to run (default: ${DEFAULT-VALUE}; vtest.avi has 795).")
    int frames;

    @Option(names = "--stills", defaultValue = "3", paramLabel = "N",
            description = "Still overlays from COCO photos and from the video (default: ${DEFAULT-VALUE} each).")
    int stills;

    @Option(names = "--offline", description = "Never use the network (only the cache and the shared data).")
    boolean offline;

    @Option(names = "--no-shared", description = "Ignore the shared data folder (what a fresh clone sees).")
    boolean noShared;

    @Option(names = "--rebuild", description = "Build the untrained fallback model again even if it is cached.")
    boolean rebuild;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "ONNX Runtime threads (default: 0 = one per physical core).")
    int threads;

    @Option(names = "--min-mean-people", paramLabel = "X",
            description = "Exit with code 3 when fewer people per video frame are found on average (a CI floor).")
    Double minMeanPeople;

    @Option(names = "--min-tracks", paramLabel = "N",
            description = "Exit with code 3 when fewer tracks are found in the video (a CI floor).")
    Integer minTracks;

    @Override
    public Integer call() throws IOException {
        InferCommand.checkRanges(spec.commandLine(), 0.5, threads);
        if (frames < 1 || stills < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--frames must be 1 or more, --stills 0 or "
                    + "more");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path root = ModelCatalogAccess.root(work);
        ModelCache cache = ModelCache.under(root);
        Path shared = noShared ? null : DemoInputs.sharedRoot();
        out.println("peopleseg demo: people segmentation and tracking, end to end" + (shared != null
                ? " (shared data: " + shared + ")" : ""));
        out.flush();
        DemoModel model = DemoModel.choose(cache, root, shared, offline, rebuild, out, err);
        Path video = DemoInputs.video(cache, shared, offline, out, err);
        if (!model.real()) {
            return untrainedRun(model, video, shared, out, err);
        }
        StreamSummary.Source streamed = null;
        PeopleCounts counts = null;
        if (model.slow() && !spec.commandLine().getParseResult().hasMatchedOption("--frames")) {
            frames = Math.min(frames, 20); // ~2 s per frame on 2 cores: 20 frames instead of 10 minutes
        }
        if (video != null) {
            streamed = stream(model, video, out, err);
            counts = PeopleCounts.read(output.resolve(streamed.name() + ".jsonl"));
        }
        List<Path> stillFiles = new ArrayList<>(DemoInputs.photos(shared, stills));
        if (video != null) {
            long last = Math.max(0, streamed.framesWritten() - 1);
            stillFiles.addAll(DemoInputs.videoFrames(video, List.of(0L, last / 2, last).subList(0,
                    Math.min(3, stills)), output.resolve("frames")));
        }
        if (stillFiles.isEmpty()) {
            stillFiles.addAll(DemoInputs.drawn(stills, 960, 576, output.resolve("frames")));
        }
        int code = Main.OK;
        int stillPeople = 0;
        if (!stillFiles.isEmpty()) {
            code = new InferRun(new InferRun.Options(model.path(), output, 0.5, threads, 0,
                    InferRun.OverlayFormat.same, TestTimeAugmentation.NONE), out, err)
                    .run(InputImage.assign(stillFiles), List.of());
            stillPeople = countResults(output.resolve("results.json"));
        }
        out.println();
        if (streamed != null) {
            out.printf(Locale.ROOT, "Found %.1f people per frame on average (%d at most) in %d frames of %s, "
                            + "%d tracks, %.1f FPS (inference p50 %.0f ms) with %s.%n", counts.mean(), counts.max(),
                    counts.frames(), video.getFileName(), streamed.tracks(), streamed.fps(),
                    streamed.inferenceMs().p50(), model.description());
            out.println("  Video with tracked masks: " + output.resolve(streamed.name() + ".mp4")
                    + "   per-frame JSON: " + output.resolve(streamed.name() + ".jsonl"));
            out.println("  Tracks (MOT): " + output.resolve(streamed.name() + ".mot.txt") + "   summary: "
                    + output.resolve("summary.json"));
        }
        out.println("  Stills: " + stillPeople + " people in " + stillFiles.size() + " images, overlays in "
                + output.resolve("overlays") + ", COCO results in " + output.resolve("results.json"));
        out.flush();
        return floors(code, streamed, counts, err);
    }

    private StreamSummary.Source stream(DemoModel model, Path video, PrintWriter out, PrintWriter err) {
        StreamOptions d = StreamOptions.defaults();
        StreamOptions options = new StreamOptions(1, d.batchTimeoutMs(), d.queueFrames(), TrackerConfig.defaults(),
                10, frames, 0);
        OutputSelection outputs = new OutputSelection(output, true, true, true, AnnotatedVideoSink.Options.defaults());
        StreamSetup setup = new StreamSetup(StreamSetup.uniqueNames(List.of(SourceSpec.of(video.toString()))),
                model.path(), StreamSetup.defaultThreshold(options), threads, options, outputs);
        out.println("Streaming the first " + frames + " frames of " + video.getFileName() + " (tracker on, H.264 "
                + "with masks) ...");
        out.flush();
        StreamSummary summary = StreamCommand.run(setup, TestTimeAugmentation.NONE, out, err);
        StreamSummary.Source s = summary.sources().get(0);
        if (s.error() != null || s.framesWritten() == 0) {
            throw CliException.error(video + ": " + (s.error() != null ? s.error() : "no frames were processed"));
        }
        return s;
    }

    /** The fallback: the untrained Mask R-CNN on a few stills (it runs ~2 s per frame: no video). */
    private int untrainedRun(DemoModel model, Path video, Path shared, PrintWriter out, PrintWriter err)
            throws IOException {
        int n = Math.max(1, Math.min(stills, 3));
        List<Path> images = DemoInputs.photos(shared, n);
        String what = "COCO val2017 photos (Flickr licences: see annotations.json there)";
        if (images.isEmpty() && video != null) {
            images = DemoInputs.videoFrames(video, List.of(0L, 100L, 200L).subList(0, n), output.resolve("frames"));
            what = "frames of " + video.getFileName();
        }
        if (images.isEmpty()) {
            images = DemoInputs.drawn(n, 960, 576, output.resolve("frames"));
            what = "drawn street scenes (no real images found)";
        }
        out.println("Frames: " + images.size() + " " + what);
        out.flush();
        // untrained weights score many boxes alike at 0.3-0.7: a low threshold and the 5 best keep overlays readable
        int code = new InferRun(new InferRun.Options(model.path(), output, 0.3, threads, 5,
                InferRun.OverlayFormat.same, TestTimeAugmentation.NONE), out, err)
                .run(InputImage.assign(images), List.of());
        out.println();
        out.println("NOTE: the weights are UNTRAINED (a deterministic formula), so these detections are meaningless;");
        out.println("the demo shows that the pipeline runs and what it writes (see " + output.resolve("overlays")
                + ").");
        out.println("For real people: " + REAL_WEIGHTS_HINT + " (3.7 MB, internet once), then peopleseg demo again.");
        out.flush();
        if (minMeanPeople != null || minTracks != null) {
            err.println("demo: no real model, so the --min-... floors cannot hold");
            err.flush();
            return 3;
        }
        return code;
    }

    private int floors(int code, StreamSummary.Source streamed, PeopleCounts counts, PrintWriter err) {
        List<String> failed = new ArrayList<>();
        if (minMeanPeople != null && (counts == null || counts.mean() < minMeanPeople)) {
            failed.add(String.format(Locale.ROOT, "%.2f people per frame < --min-mean-people %.2f",
                    counts == null ? 0.0 : counts.mean(), minMeanPeople));
        }
        if (minTracks != null && (streamed == null || streamed.tracks() < minTracks)) {
            failed.add((streamed == null ? 0 : streamed.tracks()) + " tracks < --min-tracks " + minTracks);
        }
        if (failed.isEmpty()) {
            return code;
        }
        err.println("demo: below the floor: " + String.join("; ", failed));
        err.flush();
        return 3;
    }

    /** People per frame in a stream's JSON Lines. */
    record PeopleCounts(long frames, double mean, int max) {
        static PeopleCounts read(Path jsonl) throws IOException {
            ObjectMapper json = new ObjectMapper();
            long frames = 0;
            long people = 0;
            int max = 0;
            try (BufferedReader r = Files.newBufferedReader(jsonl)) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.isBlank()) {
                        continue;
                    }
                    int n = json.readTree(line).path("people").size();
                    frames++;
                    people += n;
                    max = Math.max(max, n);
                }
            }
            return new PeopleCounts(frames, frames == 0 ? 0 : (double) people / frames, max);
        }
    }

    private static int countResults(Path resultsJson) throws IOException {
        if (!Files.isRegularFile(resultsJson)) {
            return 0;
        }
        JsonNode root = new ObjectMapper().readTree(resultsJson.toFile());
        return root.size();
    }
}
