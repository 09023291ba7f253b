package org.peopleseg.video.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.video.SharedFiles;

/** FFmpeg decoding of vtest.avi (msmpeg4v3, 768x576, 10 fps, 795 frames), broken copies of it, and loops. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FfmpegSourceTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private static byte[] pixels(BufferedImage img) {
        return ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    }

    @Test
    void decodesEveryFrameWithSizeAndTimestamps() throws Exception {
        Path vtest = SharedFiles.vtest();
        try (FfmpegSource s = FfmpegSource.open(SourceSpec.of(vtest.toString()), warnings::add)) {
            assertEquals(10.0, s.frameRate(), 0.01);
            assertEquals(795, s.expectedFrames());
            VideoFrame f0 = s.read();
            VideoFrame f1 = s.read();
            byte[] f1Before = pixels(f1.image()).clone();
            VideoFrame f2 = s.read();
            assertEquals(768, f0.width());
            assertEquals(576, f0.height());
            assertEquals(BufferedImage.TYPE_3BYTE_BGR, f0.image().getType());
            assertEquals(List.of(0L, 1L, 2L), List.of(f0.index(), f1.index(), f2.index()));
            assertEquals(0, f0.timestampMs(), 1e-6);
            assertEquals(100, f1.timestampMs(), 1e-6);
            assertEquals(200, f2.timestampMs(), 1e-6);
            assertTrue(f0.readNanos() <= f1.readNanos() && f1.readNanos() <= f2.readNanos());
            // each frame owns its pixels: decoding frame 2 leaves frame 1 as it was
            assertNotSame(f1.image(), f2.image());
            assertNotSame(pixels(f1.image()), pixels(f2.image()));
            assertArrayEquals(f1Before, pixels(f1.image()), "frame 1 changed when frame 2 was decoded");
            assertFalse(java.util.Arrays.equals(pixels(f1.image()), pixels(f2.image())),
                    "consecutive frames of a walking scene differ");
            int n = 3;
            double last = f2.timestampMs();
            VideoFrame f;
            while ((f = s.read()) != null) {
                assertEquals(n, f.index());
                assertEquals(n * 100.0, f.timestampMs(), 0.5, "frame " + n);
                assertTrue(f.timestampMs() > last);
                last = f.timestampMs();
                n++;
            }
            assertEquals(795, n);
            assertNull(s.read(), "the end is sticky");
        }
        assertEquals(List.of(), warnings, "a complete file plays without warnings");
    }

    @Test
    void loopsPlayTheFileAgainWithIncreasingTimestamps() throws Exception {
        Path vtest = SharedFiles.vtest();
        try (FfmpegSource s = FfmpegSource.open(SourceSpec.of(vtest.toString()).withLoops(2), warnings::add)) {
            long n = 0;
            double last = -1;
            VideoFrame f;
            while ((f = s.read()) != null) {
                assertEquals(n, f.index());
                assertTrue(f.timestampMs() > last, "frame " + n + ": " + f.timestampMs() + " after " + last);
                if (n == 795) {
                    assertEquals(79_500, f.timestampMs(), 0.5, "the second play continues the first's timeline");
                }
                last = f.timestampMs();
                n++;
            }
            assertEquals(1590, n);
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void truncatedFileEndsEarlyWithAWarningNamingIt() throws Exception {
        Path vtest = SharedFiles.vtest();
        Path cut = dir.resolve("cut.avi");
        byte[] all = Files.readAllBytes(vtest);
        Files.write(cut, java.util.Arrays.copyOf(all, (int) (all.length * 0.4)));
        long t0 = System.nanoTime();
        int n = 0;
        String error = null;
        try (FfmpegSource s = FfmpegSource.open(SourceSpec.of(cut.toString()), warnings::add)) {
            assertEquals(795, s.expectedFrames(), "the AVI header still says 795 frames");
            while (s.read() != null) {
                n++;
            }
        } catch (SourceException e) {
            error = e.getMessage();
        }
        assertTrue(n > 100 && n < 795, "the frames before the cut are read: " + n);
        // either a warning or the error that ends the source says which file is cut off
        List<String> said = new ArrayList<>(warnings);
        if (error != null) {
            said.add(error);
        }
        assertTrue(said.stream().anyMatch(w -> w.contains(cut.toString()) && w.contains("truncated")),
                "the cut file is named: " + said);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30), "never hangs");
    }

    @Test
    void garbageFileIsASourceExceptionNamingIt() throws Exception {
        Path junk = dir.resolve("junk.mp4");
        byte[] bytes = new byte[200_000];
        new Random(3).nextBytes(bytes);
        Files.write(junk, bytes);
        SourceException e = assertThrows(SourceException.class,
                () -> FfmpegSource.open(SourceSpec.of(junk.toString()), warnings::add));
        assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
    }

    @Test
    void emptyFileIsASourceException() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.avi"));
        SourceException e = assertThrows(SourceException.class,
                () -> FfmpegSource.open(SourceSpec.of(empty.toString()), warnings::add));
        assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
    }

    @Test
    void missingFileIsNoSuchFile() {
        Path missing = dir.resolve("nope.avi");
        SourceException e = assertThrows(SourceException.class,
                () -> FfmpegSource.open(SourceSpec.of(missing.toString()), warnings::add));
        assertEquals(missing + ": no such file", e.getMessage());
        SourceException e2 = assertThrows(SourceException.class,
                () -> FrameSources.open(SourceSpec.of(missing.toString()), warnings::add));
        assertTrue(e2.getMessage().contains("no such file"), e2.getMessage());
    }

    @Test
    void readAfterCloseIsAnError() throws Exception {
        FfmpegSource s = FfmpegSource.open(SourceSpec.of(SharedFiles.vtest().toString()), warnings::add);
        assertNotNull(s.read());
        s.close();
        s.close(); // twice is fine
        assertThrows(IllegalStateException.class, s::read);
    }

    @Test
    void anImageFileIsNotAVideoButStillOpens() throws Exception {
        // a single still image is a one-frame video to FFmpeg: the pipeline must not crash on it
        Path png = dir.resolve("still.png");
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        javax.imageio.ImageIO.write(img, "png", png.toFile());
        List<VideoFrame> frames = new ArrayList<>();
        try (FfmpegSource s = FfmpegSource.open(SourceSpec.of(png.toString()), warnings::add)) {
            VideoFrame f;
            while ((f = s.read()) != null && frames.size() < 10) {
                frames.add(f);
            }
        }
        assertEquals(1, frames.size());
        assertEquals(64, frames.get(0).width());
    }

    @Test
    void copyMakesAnIndependentBgrImage() {
        BufferedImage rgb = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(2, 1, 0x123456);
        BufferedImage c = FfmpegSource.copy(rgb);
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, c.getType());
        assertEquals(0x123456, c.getRGB(2, 1) & 0xFFFFFF);
        BufferedImage bgr = new BufferedImage(5, 3, BufferedImage.TYPE_3BYTE_BGR);
        bgr.setRGB(1, 1, 0xABCDEF);
        BufferedImage c2 = FfmpegSource.copy(bgr);
        bgr.setRGB(1, 1, 0);
        assertEquals(0xABCDEF, c2.getRGB(1, 1) & 0xFFFFFF);
    }
}
