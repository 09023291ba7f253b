package org.peopleseg.video.source;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.sys.ProcessMemory;

/**
 * Small, real video files whose headers claim enormous frames (hand-written YUV4MPEG2, which FFmpeg demuxes): refused
 * when the source opens, before any frame is decoded, and without the process growing.
 */
class HugeFrameTest {
    @TempDir
    Path dir;

    private Path y4m(int width, int height) throws IOException {
        byte[] header = ("YUV4MPEG2 W" + width + " H" + height + " F25:1 Ip A1:1 C420jpeg\nFRAME\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] data = new byte[header.length + 4096]; // the start of one frame: the file is 4 KB
        System.arraycopy(header, 0, data, 0, header.length);
        return Files.write(dir.resolve(width + "x" + height + ".y4m"), data);
    }

    private String refused(Path file) {
        SourceException e = assertThrows(SourceException.class,
                () -> FfmpegSource.open(SourceSpec.of(file.toString()), w -> { }).close());
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void frameOver80MegapixelsIsRefusedByOurLimit() throws IOException {
        long before = ProcessMemory.read().rssBytes();
        String message = refused(y4m(16000, 16000));
        assertTrue(message.contains("frames of 16000x16000 are too large (256 megapixels; the limit is "
                + ImageReader.MAX_PIXELS / 1_000_000), message);
        long grown = ProcessMemory.read().rssBytes() - before;
        assertTrue(grown < 256L << 20, "resident memory grew by " + grown + " bytes");
    }

    @Test
    void frame100000x100000IsRefusedByFfmpegWhenOpening() throws IOException {
        assertTrue(refused(y4m(100000, 100000)).contains("cannot open"));
    }
}
