package org.peopleseg.core.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of {@link ImageReader#read(byte[], String)} (README "Fuzzing"): format sniffing, the
 * 80-megapixel header check, decoding and the truncation check. Documented outcome: an RGB image, or an
 * {@link IOException} whose message starts with the image's name. Anything else, an {@link OutOfMemoryError}
 * included, or an input taking over a second, is a finding.
 *
 * <p>Seeds: tiny images in every format ImageIO writes here (PNG, JPEG, BMP, GIF), and a PNG header claiming
 * 100000x100000 pixels (refused before decoding).
 */
class ImageReaderFuzzTest {

    static Stream<byte[]> encodedImages() throws IOException {
        BufferedImage img = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                img.setRGB(x, y, (x * 36) << 16 | (y * 50) << 8 | 0x40);
            }
        }
        List<byte[]> out = new ArrayList<>();
        for (String format : new String[] {"png", "jpeg", "bmp", "gif"}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, bytes)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            out.add(bytes.toByteArray());
        }
        out.add(pngHeader(100_000, 100_000));
        return out.stream();
    }

    /** A PNG signature and IHDR chunk (8-bit RGB), nothing else. */
    static byte[] pngHeader(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        b.putInt(13).put(new byte[] {'I', 'H', 'D', 'R'}).putInt(width).putInt(height).put(new byte[] {8, 2, 0, 0, 0});
        CRC32 crc = new CRC32();
        crc.update(b.array(), 12, 17);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    @MethodSource("encodedImages")
    @FuzzTest
    void read(byte[] input) {
        try {
            ImageReader.read(input, "fuzz.img");
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("fuzz.img")) {
                throw new AssertionError("refused without naming the image", e);
            }
        }
    }
}
