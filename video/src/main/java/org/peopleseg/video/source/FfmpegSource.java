package org.peopleseg.video.source;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Files;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.global.avutil;
import org.peopleseg.core.image.ImageReader;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Frames decoded by FFmpeg (through JavaCV): video files in any codec FFmpeg knows, network streams and V4L2
 * cameras. One open decoder; {@link ReconnectingSource} reopens network streams.
 *
 * <p>JavaCV's converter hands out the same {@link BufferedImage} for every frame, so each frame is copied into
 * an image of its own before it leaves: frames cross threads and queues.
 */
public final class FfmpegSource implements FrameSource {
    static {
        // FFmpeg's own lines ("Input #0 ...", "[msmpeg4 @ 0x..] Error at MB") name neither the source nor the
        // consequence; problems reach the user as this class's messages instead
        avutil.av_log_set_level(avutil.AV_LOG_FATAL);
    }

    private final SourceSpec spec;
    private final FFmpegFrameGrabber grabber;
    private final Java2DFrameConverter converter = new Java2DFrameConverter();
    private final double frameRate;
    private final int expectedFrames;
    private final long openedNanos = System.nanoTime();
    private long index;
    private long framesThisPlay;
    private int playsDone;
    private double loopOffsetMs;
    private double lastTimestampMs;
    private boolean closed;
    private boolean completed;

    private FfmpegSource(SourceSpec spec, FFmpegFrameGrabber grabber) {
        this.spec = spec;
        this.grabber = grabber;
        this.frameRate = grabber.getFrameRate() > 0 && grabber.getFrameRate() < 1000 ? grabber.getFrameRate() : 0;
        this.expectedFrames = spec.kind() == SourceKind.CAMERA ? 0 : expectedFrames(grabber);
    }

    /**
     * The frames a file says it has. A cut-off AVI keeps its header's count (the stream's nb_frames) while FFmpeg
     * estimates the duration, and so getLengthInVideoFrames(), from the bytes that are left: the larger of the two.
     */
    private static int expectedFrames(FFmpegFrameGrabber g) {
        long header = 0;
        try {
            if (g.getFormatContext() != null && g.getVideoStream() >= 0) {
                header = g.getFormatContext().streams(g.getVideoStream()).nb_frames();
            }
        } catch (RuntimeException ignored) {
            // only the truncation check depends on it
        }
        return (int) Math.max(g.getLengthInVideoFrames(), Math.min(header, Integer.MAX_VALUE));
    }

    /**
     * Opens {@code spec}; network sources wait at most {@code spec.timeoutMs()} for the connection and for each read.
     *
     * @param warnings the sources' common warning channel; an FFmpeg source reports nothing there today: a decoding
     *                 problem or a cut-off file ends it with a {@link SourceException} instead
     */
    public static FfmpegSource open(SourceSpec spec, Consumer<String> warnings) throws SourceException {
        if (spec.kind() == SourceKind.FILE) {
            if (!Files.isRegularFile(spec.path())) {
                throw new SourceException(spec.uri() + ": no such file");
            }
            if (!Files.isReadable(spec.path())) {
                throw new SourceException(spec.uri() + ": not readable");
            }
        }
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(spec.kind() == SourceKind.CAMERA ? spec.device() : spec.uri());
        if (spec.kind() == SourceKind.CAMERA) {
            g.setFormat("video4linux2");
        }
        if (spec.kind() == SourceKind.NETWORK) {
            String micros = Long.toString(spec.timeoutMs() * 1000);
            g.setOption("rw_timeout", micros);     // http, tcp, ... : each read
            g.setOption("timeout", micros);        // rtsp: socket I/O
            g.setOption("rtsp_transport", "tcp");  // UDP loses packets silently on busy networks
            g.setTimeout((int) Math.min(Integer.MAX_VALUE, spec.timeoutMs())); // JavaCV's interrupt callback
        }
        g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        try {
            g.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            closeQuietly(g);
            throw new SourceException(spec.uri() + ": cannot open: " + message(e), e);
        }
        if (g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
            closeQuietly(g);
            throw new SourceException(spec.uri() + ": no video stream");
        }
        // The header's frame size, checked before the first frame is decoded and copied into Java memory (FFmpeg
        // itself refuses sizes past about 16000x16000; a 16000x16000 BGR frame is 768 MB, twice with our copy).
        int width = g.getImageWidth();
        int height = g.getImageHeight();
        long pixels = (long) width * height;
        if (pixels > ImageReader.MAX_PIXELS) {
            closeQuietly(g);
            throw new SourceException(spec.uri() + ": frames of " + width + "x" + height
                    + " are too large (" + pixels / 1_000_000 + " megapixels; the limit is "
                    + ImageReader.MAX_PIXELS / 1_000_000 + ", as for images)");
        }
        return new FfmpegSource(spec, g);
    }

    @Override
    public VideoFrame read() throws SourceException {
        if (closed) {
            throw new IllegalStateException(spec.name() + ": closed");
        }
        while (true) {
            Frame frame;
            try {
                frame = grabber.grabImage();
            } catch (FrameGrabber.Exception | RuntimeException e) {
                throw new SourceException(spec.uri() + ": decoding failed at frame " + (index + 1) + ": " + message(e),
                        e);
            }
            if (frame != null && frame.image != null) {
                return toVideoFrame(frame);
            }
            if (!endOfPlay()) {
                return null;
            }
        }
    }

    /** Handles the end of one play of a file: true when the file starts again (looping). */
    private boolean endOfPlay() throws SourceException {
        boolean early = expectedFrames > 0 && framesThisPlay < expectedFrames * 0.98
                && framesThisPlay + 2 < expectedFrames;
        if (spec.kind() == SourceKind.NETWORK) {
            completed = expectedFrames > 0 && !early; // a live stream has no length: its end is an outage
            return false;
        }
        if (early) {
            // FFmpeg reads a cut-off file to the end of its data without an error: end the source with one
            throw new SourceException(spec.uri() + ": ended after " + framesThisPlay + " of " + expectedFrames
                    + " frames (truncated or corrupt file); the frames before were processed");
        }
        playsDone++;
        if (spec.kind() != SourceKind.FILE || framesThisPlay == 0 || (spec.loops() != 0 && playsDone >= spec.loops())) {
            return false;
        }
        try {
            grabber.setTimestamp(0);
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new SourceException(spec.uri() + ": cannot rewind for the next loop: " + message(e), e);
        }
        loopOffsetMs = lastTimestampMs + (frameRate > 0 ? 1000 / frameRate : 0);
        framesThisPlay = 0;
        return true;
    }

    private VideoFrame toVideoFrame(Frame frame) throws SourceException {
        BufferedImage shared = converter.getBufferedImage(frame);
        if (shared == null) {
            throw new SourceException(spec.uri() + ": frame " + (index + 1) + " could not be converted");
        }
        BufferedImage own = copy(shared);
        double ts;
        if (spec.kind().live()) {
            ts = (System.nanoTime() - openedNanos) / 1e6;
        } else {
            ts = loopOffsetMs + grabber.getTimestamp() / 1000.0;
        }
        lastTimestampMs = ts;
        framesThisPlay++;
        return new VideoFrame(index++, ts, own, System.nanoTime());
    }

    static BufferedImage copy(BufferedImage src) {
        if (src.getType() == BufferedImage.TYPE_3BYTE_BGR
                && src.getRaster().getDataBuffer() instanceof DataBufferByte db && db.getNumBanks() == 1
                && db.getData().length == src.getWidth() * src.getHeight() * 3) {
            BufferedImage dst = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
            byte[] from = db.getData();
            System.arraycopy(from, 0, ((DataBufferByte) dst.getRaster().getDataBuffer()).getData(), 0, from.length);
            return dst;
        }
        BufferedImage dst = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        dst.getGraphics().drawImage(src, 0, 0, null);
        return dst;
    }

    @Override
    public double frameRate() {
        return frameRate;
    }

    @Override
    public boolean completed() {
        return completed;
    }

    /** Frames the container says the file has (0 when unknown or not a file). */
    public int expectedFrames() {
        return expectedFrames;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeQuietly(grabber);
            converter.close();
        }
    }

    private static void closeQuietly(FFmpegFrameGrabber g) {
        try {
            g.close(); // stop + release: frees the native decoder and format context
        } catch (FrameGrabber.Exception | RuntimeException ignored) {
            // nothing more can be freed
        }
    }

    /** The exception's message without JavaCV's generic hints ("Has setFormat() been called?"). */
    static String message(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        m = m.replace(" (Has setFormat() been called?)", "")
                .replaceAll(" \\(For more details, make sure FFmpegLogCallback\\.set\\(\\) has been called\\.\\)", "");
        if (m.contains("error -1094995529")) {
            m += " (invalid data: not a video FFmpeg can read, or a corrupt one)";
        }
        return m.strip();
    }
}
