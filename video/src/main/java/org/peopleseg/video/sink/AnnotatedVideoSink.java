package org.peopleseg.video.sink;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import org.peopleseg.core.io.AtomicFiles;
import org.peopleseg.core.render.OverlayRenderer;
import org.peopleseg.video.pipeline.FrameResult;

/**
 * NAME.mp4: the frames with masks, boxes and track ids drawn over them, and a small on-screen display (frame
 * number, FPS, inference time, latency), encoded as H.264 (yuv420p, MP4 with the index at the front) so that
 * browsers play it. The encoder is the OpenH264 encoder inside JavaCV's LGPL FFmpeg build.
 *
 * <p>Live sources keep their timing: a frame is placed at its capture time, so dropped frames show as a held
 * picture rather than a video that runs fast. Files are written at their own frame rate, one picture per frame.
 * The video is written to a hidden temporary file and renamed when finished: a crash never leaves a
 * truncated MP4 under the final name.
 */
public final class AnnotatedVideoSink implements FrameSink {

    /**
     * What the video shows.
     *
     * @param scale video size relative to the source (0 < scale <= 1): drawing happens at full resolution, the
     *              encoder gets the smaller picture. 0.5 quarters the encoding work, the pipeline's largest cost
     *              after the model.
     */
    public record Options(boolean masks, boolean boxes, boolean labels, boolean statusLine, float maskAlpha,
                          int bitrateKbps, double scale) {
        public Options {
            if (!(scale > 0 && scale <= 1)) {
                throw new IllegalArgumentException("video scale must be in (0, 1], got " + scale);
            }
        }

        public Options(boolean masks, boolean boxes, boolean labels, boolean statusLine, float maskAlpha,
                       int bitrateKbps) {
            this(masks, boxes, labels, statusLine, maskAlpha, bitrateKbps, 1);
        }

        public static Options defaults() {
            return new Options(true, true, true, true, 0.45f, 0);
        }

        public Options withScale(double newScale) {
            return new Options(masks, boxes, labels, statusLine, maskAlpha, bitrateKbps, newScale);
        }
    }

    private final Path target;
    private final Path tmp;
    private final FFmpegFrameRecorder recorder;
    private final OverlayRenderer renderer;
    private final Options options;
    private final boolean keepTiming;
    private final double fps;
    private final int width;
    private final int height;
    private final Frame frame;
    private final byte[] row;
    private final Font statusFont;
    private BufferedImage scaled;
    private long lastFrameNumber = -1;
    private long written;
    private boolean closed;

    /**
     * @param keepTiming place frames at their timestamps (live sources) instead of one after the other
     */
    public AnnotatedVideoSink(Path file, int width, int height, double fps, boolean keepTiming, Options options)
            throws IOException {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("video size must be positive, got " + width + "x" + height);
        }
        this.target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        this.tmp = target.resolveSibling("." + target.getFileName() + ".part");
        this.options = options;
        this.keepTiming = keepTiming;
        this.fps = fps > 0 ? fps : 25;
        // H.264 4:2:0 needs even sizes
        this.width = Math.max(2, (int) Math.round(width * options.scale()) & ~1);
        this.height = Math.max(2, (int) Math.round(height * options.scale()) & ~1);
        this.renderer = new OverlayRenderer(options.masks() ? options.maskAlpha() : 0f, options.boxes(),
                options.labels());
        this.frame = new Frame(this.width, this.height, Frame.DEPTH_UBYTE, 3);
        this.row = new byte[3 * this.width];
        // drawn at the source's size, then scaled: at least 11 px in the video
        this.statusFont = new Font(Font.MONOSPACED, Font.BOLD,
                Math.max((int) Math.ceil(11 / options.scale()), height / 45));
        recorder = new FFmpegFrameRecorder(tmp.toFile(), this.width, this.height, 0);
        recorder.setFormat("mp4");
        recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(this.fps);
        recorder.setGopSize((int) Math.max(1, Math.round(this.fps * 2)));
        int kbps = options.bitrateKbps() > 0 ? options.bitrateKbps()
                : (int) Math.max(500, Math.round(this.width * (double) this.height * this.fps * 0.2 / 1000));
        recorder.setVideoBitrate(kbps * 1000);
        recorder.setOption("movflags", "+faststart"); // index first: a browser starts playing before the end
        try {
            recorder.start();
        } catch (FrameRecorder.Exception | RuntimeException e) {
            release();
            throw new IOException(target + ": cannot start the H.264 encoder: " + e.getMessage(), e);
        }
    }

    @Override
    public void write(FrameResult r) throws IOException {
        BufferedImage drawn = renderer.render(r.frame().image(), r.detections());
        if (options.statusLine()) {
            drawStatus(drawn, r, statusFont);
        }
        copyToFrame(drawn);
        try {
            if (keepTiming) {
                long n = Math.round(r.frame().timestampMs() * fps / 1000.0);
                n = Math.max(n, lastFrameNumber + 1);
                recorder.setTimestamp(Math.round(n * 1_000_000.0 / fps));
                lastFrameNumber = n;
            }
            recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
            written++;
        } catch (FrameRecorder.Exception | RuntimeException e) {
            throw new IOException(target + ": encoding frame " + r.frameNumber() + " failed: " + e.getMessage(), e);
        }
    }

    /** Packs the RGB pixels as BGR24 into the reused frame, scaling when a source changed size mid-stream. */
    private void copyToFrame(BufferedImage img) {
        if (img.getWidth() != width || img.getHeight() != height || img.getType() != BufferedImage.TYPE_INT_RGB) {
            if (scaled == null) { // reused: --video-scale resizes every frame
                scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            }
            Graphics2D g = scaled.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(img, 0, 0, width, height, null);
            } finally {
                g.dispose();
            }
            img = scaled;
        }
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        int stride = frame.imageStride;
        // pack a row into a reused array and hand it over in one bulk put: per-byte ByteBuffer.put on a direct
        // buffer costs several ms a frame, which the inference thread would feel on a 2-core machine
        for (int y = 0; y < height; y++) {
            for (int x = 0, i = y * width, o = 0; x < width; x++, i++, o += 3) {
                int p = px[i];
                row[o] = (byte) p;
                row[o + 1] = (byte) (p >> 8);
                row[o + 2] = (byte) (p >> 16);
            }
            buf.put(y * stride, row, 0, 3 * width);
        }
    }

    private static void drawStatus(BufferedImage img, FrameResult r, Font font) {
        String text = String.format(Locale.ROOT, "%s #%d  %.1f fps  infer %s  latency %.0f ms  %d people",
                r.source(), r.frameNumber(), r.sourceFps(),
                r.inferred() ? String.format(Locale.ROOT, "%.0f ms", r.inferenceMs()) : "tracked",
                r.latencyMs(), r.detections().instances().size());
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(font);
            FontMetrics fm = g.getFontMetrics();
            int pad = 4;
            g.setColor(new Color(0, 0, 0, 150));
            g.fillRect(0, 0, fm.stringWidth(text) + 2 * pad, fm.getHeight() + pad);
            g.setColor(Color.WHITE);
            g.drawString(text, pad, pad / 2 + fm.getAscent());
        } finally {
            g.dispose();
        }
    }

    /** Frames encoded so far. */
    public long framesWritten() {
        return written;
    }

    @Override
    public Path file() {
        return target;
    }

    /** Writes the MP4 trailer and publishes the file under its name. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            recorder.stop();
        } catch (FrameRecorder.Exception | RuntimeException e) {
            release();
            Files.deleteIfExists(tmp);
            throw new IOException(target + ": finishing the video failed: " + e.getMessage(), e);
        }
        release();
        AtomicFiles.publish(tmp, target);
    }

    private void release() {
        try {
            recorder.release();
        } catch (FrameRecorder.Exception | RuntimeException ignored) {
            // nothing more can be freed
        }
        frame.close();
    }
}
