package org.peopleseg.video.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.video.SharedFiles;
import org.peopleseg.video.config.StreamSetup;
import org.peopleseg.video.sink.AnnotatedVideoSink;
import org.peopleseg.video.sink.OutputSelection;
import org.peopleseg.video.source.SourceSpec;
import org.peopleseg.video.track.TrackerConfig;

/** The whole pipeline on vtest.avi with a stand-in model: outputs, summary, interval, several and failing sources. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamPipelineTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    final StringWriter logText = new StringWriter();
    final PrintWriter log = new PrintWriter(logText, true);

    static StreamOptions options(int interval, long maxFrames) {
        return new StreamOptions(interval, 40, 4, TrackerConfig.defaults(), 0, maxFrames, 0);
    }

    static OutputSelection metadataOnly(Path dir) {
        return new OutputSelection(dir, false, true, true, AnnotatedVideoSink.Options.defaults());
    }

    static List<JsonNode> jsonLines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    /** Decodes an MP4 back: codec name, size and the number of pictures in it. */
    record Decoded(int codec, String codecName, int width, int height, int frames) {}

    static Decoded decode(Path mp4) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile())) {
            g.start();
            int n = 0;
            Frame f;
            while ((f = g.grabImage()) != null) {
                if (f.image != null) {
                    n++;
                }
            }
            Decoded d = new Decoded(g.getVideoCodec(), g.getVideoCodecName(), g.getImageWidth(), g.getImageHeight(), n);
            g.stop();
            return d;
        }
    }

    static List<String> hiddenFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir) && p.getFileName().toString().startsWith("."))
                    .map(Path::toString).toList();
        }
    }

    static void assertJsonLines(List<JsonNode> lines, String source, int count) {
        assertEquals(count, lines.size());
        for (int i = 0; i < count; i++) {
            JsonNode l = lines.get(i);
            assertEquals(source, l.get("source").asText());
            assertEquals(i + 1, l.get("frame").asInt(), "1-based frame numbers");
            assertEquals(768, l.get("width").asInt());
            assertEquals(576, l.get("height").asInt());
            assertEquals(i * 100.0, l.get("timestamp_ms").asDouble(), 0.5);
            JsonNode people = l.get("people");
            assertTrue(people.isArray());
            assertEquals(1, people.size(), l.toString());
            JsonNode p = people.get(0);
            assertTrue(p.has("track_id"), "frame " + (i + 1) + ": " + p);
            assertEquals("person", p.get("label").asText());
            assertEquals(4, p.get("box_xyxy").size());
            assertEquals(4, p.get("bbox_xywh").size());
            assertTrue(p.get("segmentation").get("counts").isTextual(), "COCO RLE counts string");
            assertEquals(576, p.get("segmentation").get("size").get(0).asInt());
            assertEquals(768, p.get("segmentation").get("size").get(1).asInt());
        }
    }

    @Test
    void sixtyFramesOfVtestMakeVideoJsonlMotAndSummary() throws Exception {
        Path vtest = SharedFiles.vtest();
        MovingPersonSegmenter model = new MovingPersonSegmenter();
        StreamPipeline p = new StreamPipeline(model, "fake.onnx", List.of(SourceSpec.of(vtest.toString())),
                OutputSelection.all(dir), options(1, 60), log);
        StreamSummary s = p.run();

        assertEquals(StreamSummary.SCHEMA, s.schema());
        assertEquals("fake.onnx", s.model());
        assertFalse(s.interrupted());
        assertTrue(s.tracking());
        assertTrue(s.allSucceeded(), logText.toString());
        assertEquals(1, s.sources().size());
        StreamSummary.Source src = s.sources().get(0);
        assertEquals("vtest", src.name());
        assertEquals("file", src.kind());
        assertFalse(src.live());
        assertEquals(60, src.framesRead());
        assertEquals(60, src.framesInferred());
        assertEquals(60, src.framesWritten());
        assertEquals(0, src.framesDropped());
        assertEquals(0, src.framesSkipped());
        assertEquals(0, src.inferenceErrors());
        assertEquals(1, src.tracks(), "one walking person, one id");
        assertNull(src.error());
        assertEquals(60, src.latencyMs().count());
        assertEquals(60, src.inferenceMs().count());
        assertTrue(src.fps() > 0);
        assertEquals(60, model.calls.get());
        assertEquals(1, model.callers.size(), "the segmenter is only called from one thread");
        assertEquals(Set.of(dir.resolve("vtest.mp4").toAbsolutePath().toString(),
                        dir.resolve("vtest.jsonl").toAbsolutePath().toString(),
                        dir.resolve("vtest.mot.txt").toAbsolutePath().toString()),
                Set.copyOf(src.outputs()));

        Decoded video = decode(dir.resolve("vtest.mp4"));
        assertEquals(avcodec.AV_CODEC_ID_H264, video.codec(), video.toString());
        assertEquals("h264", video.codecName());
        assertEquals(768, video.width());
        assertEquals(576, video.height());
        assertEquals(60, video.frames());

        List<JsonNode> lines = jsonLines(dir.resolve("vtest.jsonl"));
        assertJsonLines(lines, "vtest", 60);
        assertTrue(lines.stream().allMatch(l -> l.get("inferred").asBoolean()));
        assertTrue(lines.stream().allMatch(l -> l.get("people").get(0).get("track_id").asLong() == 1));
        // the stand-in's box comes back as the person's box
        JsonNode box10 = lines.get(9).get("people").get(0).get("box_xyxy");
        assertEquals(MovingPersonSegmenter.boxAt(10, 768, 576).x1(), box10.get(0).asDouble(), 0.01);

        List<String> mot = Files.readAllLines(dir.resolve("vtest.mot.txt"));
        assertEquals(60, mot.size());
        for (int i = 0; i < mot.size(); i++) {
            String[] f = mot.get(i).split(",");
            assertEquals(10, f.length, mot.get(i));
            assertEquals(i + 1, Integer.parseInt(f[0]), "MOT frames are 1-based");
            assertEquals(1, Integer.parseInt(f[1]));
            assertEquals(MovingPersonSegmenter.boxAt(i + 1, 768, 576).x1(), Double.parseDouble(f[2]), 0.01);
            assertEquals(60, Double.parseDouble(f[4]), 0.01, "width");
            assertEquals(160, Double.parseDouble(f[5]), 0.01, "height");
            assertEquals(List.of("-1", "-1", "-1"), List.of(f[7], f[8], f[9]));
        }
        assertEquals(List.of(), hiddenFiles(dir), "no temporary files left");

        // summary.json round trip, snake_case keys
        Path json = dir.resolve("summary.json");
        s.write(json);
        JsonNode root = JSON.readTree(json.toFile());
        assertEquals(StreamSummary.SCHEMA, root.get("schema").asText());
        assertEquals(60, root.get("sources").get(0).get("frames_written").asLong());
        assertTrue(root.get("sources").get(0).get("latency_ms").has("p95"));
        assertEquals(s, StreamSummary.read(json));
    }

    @Test
    void intervalThreeInfersEveryThirdFrameAndKeepsIds() throws Exception {
        Path vtest = SharedFiles.vtest();
        MovingPersonSegmenter model = new MovingPersonSegmenter();
        StreamSummary s = new StreamPipeline(model, "fake.onnx", List.of(SourceSpec.of(vtest.toString())),
                metadataOnly(dir), options(3, 60), log).run();
        StreamSummary.Source src = s.sources().get(0);
        assertTrue(s.allSucceeded(), logText.toString());
        assertEquals(3, s.interval());
        assertEquals(60, src.framesRead());
        assertEquals(60, src.framesWritten());
        assertEquals(20, src.framesInferred());
        assertEquals(20, model.calls.get());
        List<JsonNode> lines = jsonLines(dir.resolve("vtest.jsonl"));
        assertEquals(60, lines.size());
        for (int i = 0; i < 60; i++) {
            JsonNode l = lines.get(i);
            assertEquals(i + 1, l.get("frame").asInt());
            assertEquals(i % 3 == 0, l.get("inferred").asBoolean(), "frame " + (i + 1));
            assertEquals(1, l.get("people").size(), "frame " + (i + 1) + ": " + l);
            assertEquals(1, l.get("people").get(0).get("track_id").asLong(), "frame " + (i + 1));
        }
        assertEquals(40, lines.stream().filter(l -> !l.get("inferred").asBoolean()).count());
        assertEquals(60, Files.readAllLines(dir.resolve("vtest.mot.txt")).size());
        assertFalse(Files.exists(dir.resolve("vtest.mp4")), "video switched off");
    }

    @Test
    void twoSourcesAtOnceBothComplete() throws Exception {
        Path vtest = SharedFiles.vtest();
        List<SourceSpec> specs = StreamSetup.uniqueNames(
                List.of(SourceSpec.of(vtest.toString()), SourceSpec.of(vtest.toString())));
        assertEquals(List.of("vtest", "vtest-2"), specs.stream().map(SourceSpec::name).toList());
        MovingPersonSegmenter model = new MovingPersonSegmenter();
        StreamSummary s = new StreamPipeline(model, "fake.onnx", specs, OutputSelection.all(dir), options(1, 20), log)
                .run();
        assertTrue(s.allSucceeded(), logText.toString());
        assertEquals(List.of("vtest", "vtest-2"), s.sources().stream().map(StreamSummary.Source::name).toList());
        for (StreamSummary.Source src : s.sources()) {
            assertEquals(20, src.framesWritten(), src.name());
            assertEquals(20, src.framesInferred(), src.name());
            assertEquals(1, src.tracks(), "each source has its own tracker: " + src.name());
            assertJsonLines(jsonLines(dir.resolve(src.name() + ".jsonl")), src.name(), 20);
            assertEquals(20, decode(dir.resolve(src.name() + ".mp4")).frames(), src.name());
            assertEquals(20, Files.readAllLines(dir.resolve(src.name() + ".mot.txt")).size());
        }
        assertEquals(40, s.framesWritten());
        assertEquals(40, model.calls.get());
        assertEquals(List.of(), hiddenFiles(dir));
    }

    @Test
    void aMissingSourceFailsAloneAndTheOtherCompletes() throws Exception {
        Path vtest = SharedFiles.vtest();
        Path missing = dir.resolve("in/missing.avi");
        Path out = dir.resolve("out");
        List<SourceSpec> specs = List.of(SourceSpec.of(missing.toString()), SourceSpec.of(vtest.toString()));
        StreamSummary s = new StreamPipeline(new MovingPersonSegmenter(), "fake.onnx", specs, metadataOnly(out),
                options(1, 20), log).run();
        assertFalse(s.allSucceeded());
        assertFalse(s.interrupted());
        StreamSummary.Source bad = s.sources().get(0);
        StreamSummary.Source good = s.sources().get(1);
        assertEquals("missing", bad.name());
        assertNotNull(bad.error());
        assertTrue(bad.error().contains(missing.toString()) && bad.error().contains("no such file"), bad.error());
        assertEquals(0, bad.framesWritten());
        assertEquals(List.of(), bad.outputs());
        assertNull(good.error());
        assertEquals(20, good.framesWritten());
        assertJsonLines(jsonLines(out.resolve("vtest.jsonl")), "vtest", 20);
        assertFalse(Files.exists(out.resolve("missing.jsonl")));
        assertTrue(logText.toString().contains("no such file"), logText.toString());
    }

    @Test
    void everySourceMissingEndsAtOnce() {
        StreamSummary s = new StreamPipeline(new MovingPersonSegmenter(), "fake.onnx",
                List.of(SourceSpec.of(dir.resolve("a.avi").toString()), SourceSpec.of(dir.resolve("b.mp4").toString())),
                metadataOnly(dir), options(1, 0), log).run();
        assertFalse(s.allSucceeded());
        assertEquals(0, s.framesWritten());
        assertTrue(s.sources().stream().allMatch(x -> x.error() != null && x.error().contains("no such file")));
    }

    @Test
    void modelFailuresAreCountedAndTheFramesStillWritten() throws Exception {
        Path vtest = SharedFiles.vtest();
        StreamSummary s = new StreamPipeline(new MovingPersonSegmenter(0, 5), "fake.onnx",
                List.of(SourceSpec.of(vtest.toString())), metadataOnly(dir), options(1, 20), log).run();
        StreamSummary.Source src = s.sources().get(0);
        assertEquals(4, src.inferenceErrors());
        assertEquals(20, src.framesWritten());
        List<JsonNode> lines = jsonLines(dir.resolve("vtest.jsonl"));
        assertEquals(20, lines.size());
        assertEquals(1, logText.toString().lines().filter(l -> l.contains("inference failed")).count(),
                "the first failure is logged, the others counted: " + logText);
        assertTrue(logText.toString().contains("vtest") && logText.toString().contains("frame 5"), logText.toString());
    }

    @Test
    void imageFolderWithACorruptImage() throws Exception {
        Path img = Files.createDirectories(dir.resolve("seq"));
        for (int i = 1; i <= 5; i++) {
            Path f = img.resolve(String.format("f%02d.png", i));
            if (i == 3) {
                Files.writeString(img.resolve("f03.jpg"), "corrupt");
                continue;
            }
            BufferedImage b = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = b.createGraphics();
            g.setColor(new Color(40 * i, 80, 120));
            g.fillRect(0, 0, 320, 240);
            g.dispose();
            ImageIO.write(b, "png", f.toFile());
        }
        Path out = dir.resolve("out");
        StreamSummary s = new StreamPipeline(new MovingPersonSegmenter(), "fake.onnx",
                List.of(SourceSpec.of(img.toString()).withFrameRate(5)), OutputSelection.all(out), options(1, 0), log)
                .run();
        StreamSummary.Source src = s.sources().get(0);
        assertTrue(s.allSucceeded(), logText.toString());
        assertEquals("images", src.kind());
        assertEquals(1, src.framesSkipped());
        assertEquals(4, src.framesWritten());
        List<JsonNode> lines = jsonLines(out.resolve("seq.jsonl"));
        assertEquals(List.of(1, 2, 4, 5), lines.stream().map(l -> l.get("frame").asInt()).toList());
        assertEquals(600, lines.get(2).get("timestamp_ms").asDouble(), 1e-6, "frame 4 at 5 fps");
        assertEquals(4, decode(out.resolve("seq.mp4")).frames());
        assertEquals(List.of(1, 2, 4, 5), Files.readAllLines(out.resolve("seq.mot.txt")).stream()
                .map(l -> Integer.parseInt(l.split(",")[0])).toList());
        assertTrue(logText.toString().contains("f03.jpg"), logText.toString());
    }

    @Test
    void noTrackerMeansNoIdsAndNoMotLines() throws Exception {
        Path vtest = SharedFiles.vtest();
        StreamOptions o = new StreamOptions(1, 40, 4, null, 0, 10, 0);
        StreamSummary s = new StreamPipeline(new MovingPersonSegmenter(), "fake.onnx",
                List.of(SourceSpec.of(vtest.toString())), new OutputSelection(dir, false, true, false,
                AnnotatedVideoSink.Options.defaults()), o, log).run();
        assertFalse(s.tracking());
        assertEquals(0, s.sources().get(0).tracks());
        List<JsonNode> lines = jsonLines(dir.resolve("vtest.jsonl"));
        assertEquals(10, lines.size());
        assertTrue(lines.stream().noneMatch(l -> l.get("people").get(0).has("track_id")));
        assertFalse(Files.exists(dir.resolve("vtest.mot.txt")));
    }

    @Test
    void maxSecondsEndsALoopingSource() throws Exception {
        Path vtest = SharedFiles.vtest();
        StreamOptions o = new StreamOptions(1, 40, 4, TrackerConfig.defaults(), 0.2, 0, 1.0);
        long t0 = System.nanoTime();
        StreamSummary s = new StreamPipeline(new MovingPersonSegmenter(), "fake.onnx",
                List.of(SourceSpec.of(vtest.toString()).withLoops(0)), metadataOnly(dir), o, log).run();
        double secs = (System.nanoTime() - t0) / 1e9;
        assertTrue(secs < 10, "took " + secs + " s");
        StreamSummary.Source src = s.sources().get(0);
        assertTrue(src.framesWritten() > 0);
        assertEquals(src.framesWritten(), Files.readAllLines(dir.resolve("vtest.jsonl")).size());
        assertTrue(logText.toString().contains("[perf] vtest:"), "performance lines: " + logText);
        assertTrue(logText.toString().contains("[perf] process:"), logText.toString());
        assertEquals(List.of(), hiddenFiles(dir));
    }

    @Test
    void aFailingOutputIsDroppedAndTheOthersGoOn() throws Exception {
        Path vtest = SharedFiles.vtest();
        List<Long> good = new java.util.concurrent.CopyOnWriteArrayList<>();
        SinkFactory sinks = (source, w, h, fps) -> List.of(new org.peopleseg.video.sink.FrameSink() {
            @Override
            public void write(FrameResult r) throws java.io.IOException {
                if (r.frameNumber() == 5) {
                    throw new java.io.IOException("disk full");
                }
            }

            @Override
            public void close() {}
        }, new org.peopleseg.video.sink.FrameSink() {
            @Override
            public void write(FrameResult r) {
                good.add(r.frameNumber());
            }

            @Override
            public void close() {}
        });
        StreamSummary s = new StreamPipeline(new MovingPersonSegmenter(), "fake.onnx",
                List.of(SourceSpec.of(vtest.toString())), sinks, options(1, 15), log).run();
        assertEquals(15, s.sources().get(0).framesWritten());
        assertEquals(15, good.size(), "the other output got every frame");
        assertTrue(logText.toString().contains("disk full"), logText.toString());
    }

    @Test
    void outputsThatCannotBeCreatedAreAnError() throws Exception {
        Path vtest = SharedFiles.vtest();
        SinkFactory broken = (source, w, h, fps) -> {
            throw new java.io.IOException(dir.resolve(source.name() + ".jsonl") + ": Permission denied");
        };
        StreamSummary s = new StreamPipeline(new MovingPersonSegmenter(), "fake.onnx",
                List.of(SourceSpec.of(vtest.toString())), broken, options(1, 30), log).run();
        assertTrue(logText.toString().contains("Permission denied"), logText.toString());
        assertFalse(s.allSucceeded(), "a run that wrote nothing must not report success: " + s.sources().get(0));
        assertNotNull(s.sources().get(0).error());
        assertTrue(s.sources().get(0).error().contains("Permission denied"), s.sources().get(0).error());
    }

    @Test
    void optionsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new StreamOptions(0, 40, 4, null, 0, 0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StreamOptions(2, 40, 4, null, 0, 0, 0));
        assertTrue(e.getMessage().contains("tracker"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StreamOptions(1, -1, 4, null, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new StreamOptions(1, 40, 0, null, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new StreamOptions(1, 40, 4, null, -1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new StreamOptions(1, 40, 4, null, 0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new StreamOptions(1, 40, 4, null, 0, 0, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new StreamPipeline(new MovingPersonSegmenter(), "m",
                List.of(), metadataOnly(Path.of("x")), StreamOptions.defaults(), new PrintWriter(new StringWriter())));
    }
}
