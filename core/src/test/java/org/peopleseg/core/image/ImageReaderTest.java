package org.peopleseg.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageReaderTest {
    @TempDir
    Path dir;

    private byte[] jpeg() throws IOException {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | 77);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }

    @Test
    void readsAGoodJpegAsRgb() throws IOException {
        Path f = dir.resolve("ok.jpg");
        Files.write(f, jpeg());
        BufferedImage img = ImageReader.read(f);
        assertEquals(64, img.getWidth());
        assertEquals(48, img.getHeight());
        assertEquals(BufferedImage.TYPE_INT_RGB, img.getType());
    }

    @Test
    void truncatedJpegIsAnErrorNamingTheFile() throws IOException {
        byte[] full = jpeg();
        Path f = dir.resolve("cut.jpg");
        Files.write(f, Arrays.copyOf(full, full.length / 2));
        IOException e = assertThrows(IOException.class, () -> ImageReader.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void hugeImageIsRefusedFromItsHeaderBeforeDecoding() throws IOException {
        // A 1-bit PNG of 10000 x 10000 pixels is ~12 KB on disk but 1.2 GB as float RGB.
        BufferedImage img = new BufferedImage(10_000, 10_000, BufferedImage.TYPE_BYTE_BINARY);
        Path f = dir.resolve("huge.png");
        ImageIO.write(img, "png", f.toFile());
        IOException e = assertThrows(IOException.class, () -> ImageReader.read(f));
        assertTrue(e.getMessage().contains("too large") && e.getMessage().contains("10000x10000"), e.getMessage());
    }

    @Test
    void garbageAndMissingFilesAreErrorsNamingTheFile() throws IOException {
        Path garbage = dir.resolve("garbage.jpg");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        IOException e = assertThrows(IOException.class, () -> ImageReader.read(garbage));
        assertTrue(e.getMessage().contains(garbage.toString()), e.getMessage());
        IOException missing = assertThrows(IOException.class, () -> ImageReader.read(dir.resolve("nope.png")));
        assertTrue(missing.getMessage().contains("nope.png"), missing.getMessage());
    }
}
