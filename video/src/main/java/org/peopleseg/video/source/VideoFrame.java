package org.peopleseg.video.source;

import java.awt.image.BufferedImage;

/**
 * One decoded frame, owned by whoever holds it (sources hand out copies, never a decoder's reused buffer).
 *
 * @param index        0-based position in the source, counting frames dropped later by a live channel
 * @param timestampMs  presentation time within the source (file) or since the source was opened (live)
 * @param readNanos    {@link System#nanoTime()} when the frame was decoded: the start of its end-to-end latency
 */
public record VideoFrame(long index, double timestampMs, BufferedImage image, long readNanos) {

    public int width() {
        return image.getWidth();
    }

    public int height() {
        return image.getHeight();
    }
}
