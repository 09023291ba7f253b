package org.peopleseg.video.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.video.SharedFiles;

/** Image folders played as videos: file-name order, frame rate, corrupt images skipped in place, loops. */
class ImageSequenceSourceTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private static void png(Path file, int w, int h, Color c) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, w, h);
        g.dispose();
        assertTrue(ImageIO.write(img, "png", file.toFile()));
    }

    @Test
    void petsFolderPlaysInOrder() throws Exception {
        Path img = SharedFiles.petsImages();
        SourceSpec spec = SourceSpec.of(img.toString());
        assertEquals(SourceKind.IMAGES, spec.kind());
        assertEquals("img", spec.name());
        try (ImageSequenceSource s = ImageSequenceSource.open(spec, warnings::add)) {
            assertEquals(107, s.files().size());
            for (int i = 0; i < s.files().size(); i++) {
                assertEquals(String.format("frame_%04d.jpg", i + 1), s.files().get(i).getFileName().toString());
            }
            // decode a few (every JPEG is ~10 ms; the order and count come from the listing)
            VideoFrame f0 = s.read();
            VideoFrame f1 = s.read();
            assertEquals(0, f0.index());
            assertEquals(1, f1.index());
            assertEquals(768, f0.width());
            assertEquals(576, f0.height());
            assertEquals(0, f0.timestampMs());
            assertEquals(100, f1.timestampMs(), 1e-9, "10 fps by default");
            assertEquals(10, s.frameRate());
        }
    }

    @Test
    void petsFolderHas107FramesThroughFrameSources() throws Exception {
        Path img = SharedFiles.petsImages();
        int n = 0;
        long lastIndex = -1;
        try (FrameSource s = FrameSources.open(SourceSpec.of(img.toString()).withFrameRate(7), warnings::add)) {
            VideoFrame f;
            while ((f = s.read()) != null) {
                assertEquals(lastIndex + 1, f.index());
                assertEquals(f.index() * 1000.0 / 7, f.timestampMs(), 1e-9);
                lastIndex = f.index();
                n++;
            }
            assertEquals(0, s.skippedFrames());
        }
        assertEquals(107, n);
        assertEquals(List.of(), warnings);
    }

    @Test
    void corruptImageIsSkippedAndKeepsItsPlace() throws Exception {
        png(dir.resolve("frame_0001.png"), 32, 24, Color.RED);
        png(dir.resolve("frame_0002.png"), 32, 24, Color.GREEN);
        Path bad = Files.writeString(dir.resolve("frame_0003.jpg"), "this is not a JPEG");
        png(dir.resolve("frame_0004.png"), 32, 24, Color.BLUE);
        Files.writeString(dir.resolve("notes.txt"), "not an image, ignored");
        Files.writeString(dir.resolve(".frame_0000.png"), "hidden, ignored");
        List<VideoFrame> frames = new ArrayList<>();
        try (ImageSequenceSource s = ImageSequenceSource.open(SourceSpec.of(dir.toString()), warnings::add)) {
            assertEquals(4, s.files().size(), s.files().toString());
            VideoFrame f;
            while ((f = s.read()) != null) {
                frames.add(f);
            }
            assertEquals(1, s.skippedFrames());
            assertNull(s.read());
        }
        assertEquals(List.of(0L, 1L, 3L), frames.stream().map(VideoFrame::index).toList(),
                "frame numbers still match the file positions");
        assertEquals(300, frames.get(2).timestampMs(), 1e-9);
        assertEquals(Color.BLUE.getRGB(), frames.get(2).image().getRGB(5, 5));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains(bad.toString()) && warnings.get(0).contains("skipped"), warnings.get(0));
    }

    @Test
    void loopsReplayTheFolderWithContinuedNumbering() throws Exception {
        png(dir.resolve("a.png"), 8, 8, Color.RED);
        png(dir.resolve("b.png"), 8, 8, Color.GREEN);
        List<Long> idx = new ArrayList<>();
        try (FrameSource s = FrameSources.open(SourceSpec.of(dir.toString()).withLoops(3), warnings::add)) {
            VideoFrame f;
            while ((f = s.read()) != null) {
                idx.add(f.index());
            }
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), idx);
    }

    @Test
    void folderWithNoImagesIsAnError() throws Exception {
        Files.writeString(dir.resolve("readme.txt"), "x");
        SourceException e = assertThrows(SourceException.class,
                () -> ImageSequenceSource.open(SourceSpec.of(dir.toString()), warnings::add));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("no images"), e.getMessage());
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void loopingForeverOverOnlyCorruptImagesStillEnds() throws Exception {
        Files.writeString(dir.resolve("a.jpg"), "bad");
        png(dir.resolve("b.png"), 8, 8, Color.RED);
        Files.writeString(dir.resolve("b.png"), "now bad too"); // listed as an image, unreadable
        try (ImageSequenceSource s = ImageSequenceSource.open(SourceSpec.of(dir.toString()).withLoops(0),
                warnings::add)) {
            assertNull(s.read(), "a play with no readable image ends the source instead of spinning");
            assertEquals(2, s.skippedFrames());
        }
    }

    @Test
    void folderOfOnlyCorruptImagesEnds() throws Exception {
        Files.writeString(dir.resolve("a.jpg"), "bad");
        Files.writeString(dir.resolve("b.jpg"), "bad");
        try (ImageSequenceSource s = ImageSequenceSource.open(SourceSpec.of(dir.toString()), warnings::add)) {
            assertNull(s.read());
            assertEquals(2, s.skippedFrames());
        }
    }
}
