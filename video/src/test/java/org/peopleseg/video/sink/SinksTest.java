package org.peopleseg.video.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.mask.BitMask;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.Instance;
import org.peopleseg.video.pipeline.FrameResult;
import org.peopleseg.video.source.SourceSpec;
import org.peopleseg.video.source.VideoFrame;

/** The three outputs on synthetic frames: formats, hidden temporary files published on close, video timing. */
class SinksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static BufferedImage image(int w, int h, int shade) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(shade, 100, 255 - shade));
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    private static Instance person(int w, int h, long trackId, double x) {
        byte[] px = new byte[w * h];
        for (int y = 10; y < 40; y++) {
            for (int xx = (int) x; xx < (int) x + 12; xx++) {
                px[y * w + xx] = 1;
            }
        }
        return new Instance(new Box(x, 10, x + 12, 40), 0.875, 1, "person", new BitMask(w, h, px), trackId);
    }

    private static FrameResult result(long index, double tsMs, int w, int h, List<Instance> people) {
        VideoFrame f = new VideoFrame(index, tsMs, image(w, h, (int) (index * 20 % 255)), System.nanoTime());
        return new FrameResult("cam", f, new Detections("cam#" + (index + 1), w, h, people), index % 2 == 0, 12.5,
                10, 80);
    }

    private List<String> hidden() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        }
    }

    @Test
    void jsonLinesAppearOnCloseOnly() throws Exception {
        Path file = dir.resolve("cam.jsonl");
        JsonLinesSink sink = new JsonLinesSink(file);
        assertEquals(file.toAbsolutePath(), sink.file());
        sink.write(result(0, 0, 64, 48, List.of(person(64, 48, 7, 5), person(64, 48, -1, 30))));
        sink.write(result(1, 100, 64, 48, List.of()));
        assertFalse(Files.exists(file), "nothing under the final name before close");
        assertEquals(1, hidden().size(), "a hidden temporary file while writing");
        sink.close();
        sink.close(); // twice is harmless
        assertEquals(List.of(), hidden());
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        JsonNode l0 = JSON.readTree(lines.get(0));
        assertEquals("cam", l0.get("source").asText());
        assertEquals(1, l0.get("frame").asInt());
        assertEquals(0, l0.get("timestamp_ms").asDouble());
        assertTrue(l0.get("inferred").asBoolean());
        assertEquals(2, l0.get("people").size());
        JsonNode p = l0.get("people").get(0);
        assertEquals(7, p.get("track_id").asLong());
        assertEquals(0.875, p.get("score").asDouble());
        assertEquals(List.of(5.0, 10.0, 17.0, 40.0), doubles(p.get("box_xyxy")));
        assertEquals(List.of(5.0, 10.0, 12.0, 30.0), doubles(p.get("bbox_xywh")));
        assertEquals(12 * 30, p.get("area").asInt());
        assertTrue(p.get("segmentation").get("counts").isTextual());
        assertFalse(l0.get("people").get(1).has("track_id"), "untracked: no id");
        JsonNode l1 = JSON.readTree(lines.get(1));
        assertEquals(2, l1.get("frame").asInt());
        assertFalse(l1.get("inferred").asBoolean());
        assertEquals(0, l1.get("people").size());
    }

    private static List<Double> doubles(JsonNode a) {
        List<Double> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asDouble()));
        return out;
    }

    @Test
    void motLinesForTrackedPeopleOnly() throws Exception {
        Path file = dir.resolve("cam.mot.txt");
        try (MotTracksSink sink = new MotTracksSink(file)) {
            sink.write(result(0, 0, 64, 48, List.of(person(64, 48, 3, 5.25), person(64, 48, -1, 30))));
            sink.write(result(4, 400, 64, 48, List.of(person(64, 48, 3, 6))));
        }
        assertEquals(List.of("1,3,5.25,10.00,12.00,30.00,0.8750,-1,-1,-1", "5,3,6.00,10.00,12.00,30.00,0.8750,-1,-1,-1"),
                Files.readAllLines(file));
    }

    @Test
    void videoWithOddSizeIsEvenAndPublishedOnClose() throws Exception {
        Path file = dir.resolve("cam.mp4");
        AnnotatedVideoSink sink = new AnnotatedVideoSink(file, 101, 75, 10, false, AnnotatedVideoSink.Options.defaults());
        for (int i = 0; i < 12; i++) {
            sink.write(result(i, i * 100, 101, 75, List.of(person(101, 75, 1, 5 + i))));
        }
        assertEquals(12, sink.framesWritten());
        assertFalse(Files.exists(file));
        assertTrue(Files.exists(dir.resolve(".cam.mp4.part")));
        sink.close();
        sink.close();
        assertEquals(List.of(), hidden());
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            assertEquals("h264", g.getVideoCodecName());
            assertEquals(100, g.getImageWidth(), "H.264 4:2:0 needs even sizes");
            assertEquals(74, g.getImageHeight());
            assertEquals(10, g.getFrameRate(), 0.01);
            int n = 0;
            while (g.grabImage() != null) {
                n++;
            }
            assertEquals(12, n);
            g.stop();
        }
    }

    @Test
    void scaledVideoIsSmallerWithTheSameFrames() throws Exception {
        Path file = dir.resolve("half.mp4");
        try (AnnotatedVideoSink sink = new AnnotatedVideoSink(file, 320, 240, 10, false,
                AnnotatedVideoSink.Options.defaults().withScale(0.5))) {
            for (int i = 0; i < 5; i++) {
                sink.write(result(i, i * 100, 320, 240, List.of(person(320, 240, 1, 20 + i))));
            }
        }
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            assertEquals(160, g.getImageWidth());
            assertEquals(120, g.getImageHeight());
            int n = 0;
            while (g.grabImage() != null) {
                n++;
            }
            assertEquals(5, n);
            g.stop();
        }
        assertThrows(IllegalArgumentException.class, () -> AnnotatedVideoSink.Options.defaults().withScale(0));
        assertThrows(IllegalArgumentException.class, () -> AnnotatedVideoSink.Options.defaults().withScale(1.5));
    }

    @Test
    void liveVideoKeepsCaptureTiming() throws Exception {
        Path file = dir.resolve("live.mp4");
        double[] ts = {0, 100, 500, 510, 1200};
        try (AnnotatedVideoSink sink = new AnnotatedVideoSink(file, 64, 48, 10, true,
                AnnotatedVideoSink.Options.defaults())) {
            for (int i = 0; i < ts.length; i++) {
                sink.write(result(i, ts[i], 64, 48, List.of()));
            }
        }
        List<Long> pts = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            Frame f;
            while ((f = g.grabImage()) != null) {
                pts.add(Math.round(f.timestamp / 1000.0));
            }
            g.stop();
        }
        // frames at their capture time on the 10 fps grid; 510 ms collides with 500 and moves one slot on
        assertEquals(List.of(0L, 100L, 500L, 600L, 1200L), pts);
    }

    @Test
    void outputSelectionNamesAndSwitches() throws Exception {
        SourceSpec spec = SourceSpec.of("/videos/entrance.avi");
        List<FrameSink> all = OutputSelection.all(dir).open(spec, 64, 48, 10);
        assertEquals(List.of(dir.resolve("entrance.jsonl").toAbsolutePath(), dir.resolve("entrance.mot.txt")
                .toAbsolutePath(), dir.resolve("entrance.mp4").toAbsolutePath()), all.stream().map(FrameSink::file)
                .toList());
        for (FrameSink s : all) {
            s.write(result(0, 0, 64, 48, List.of()));
            s.close();
        }
        List<FrameSink> jsonOnly = new OutputSelection(dir.resolve("j"), false, true, false,
                AnnotatedVideoSink.Options.defaults()).open(spec, 64, 48, 10);
        assertEquals(1, jsonOnly.size());
        jsonOnly.get(0).close();
        assertTrue(Files.exists(dir.resolve("j/entrance.jsonl")), "the folder is created");
    }

    @Test
    void badVideoSizeFailsAndLeavesNothingHalfWritten() throws Exception {
        assertThrows(IllegalArgumentException.class,
                () -> OutputSelection.all(dir).open(SourceSpec.of("x.avi"), 0, 48, 10));
        assertEquals(List.of(), hidden(), "the text outputs opened before the failure were cleaned up");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "no empty outputs published (they could replace a previous run's)");
        }
    }
}
