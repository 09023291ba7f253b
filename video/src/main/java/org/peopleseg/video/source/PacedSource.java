package org.peopleseg.video.source;

/**
 * Plays a file at its own frame rate, as a camera filming it would deliver it: frame k is released no earlier than
 * k / fps seconds after the first. With a live channel behind it this reproduces what a deployment sees when
 * inference is slower than the camera.
 */
public final class PacedSource implements FrameSource {
    private final FrameSource inner;
    private final double fps;
    private long startNanos = -1;
    private long released;

    public PacedSource(FrameSource inner, double fallbackFps) {
        this.inner = inner;
        this.fps = inner.frameRate() > 0 ? inner.frameRate() : fallbackFps;
        if (!(fps > 0)) {
            throw new IllegalArgumentException("a paced source needs a positive frame rate");
        }
    }

    @Override
    public VideoFrame read() throws SourceException {
        VideoFrame f = inner.read();
        if (f == null) {
            return null;
        }
        long now = System.nanoTime();
        if (startNanos < 0) {
            startNanos = now;
        }
        long due = startNanos + Math.round(released * 1e9 / fps);
        released++;
        if (due > now) {
            try {
                Thread.sleep((due - now) / 1_000_000, (int) ((due - now) % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        // as a camera frame: captured now, timed from the start of the stream
        long t = System.nanoTime();
        return new VideoFrame(f.index(), (t - startNanos) / 1e6, f.image(), t);
    }

    @Override
    public double frameRate() {
        return fps;
    }

    @Override
    public long skippedFrames() {
        return inner.skippedFrames();
    }

    @Override
    public void close() {
        inner.close();
    }
}
