package org.peopleseg.video.source;

/**
 * A sequence of frames: a video file, an image folder, a network stream or a camera. Not thread-safe: one reader
 * thread owns it. Holds native decoders: close it.
 */
public interface FrameSource extends AutoCloseable {

    /** The next frame, or null at the end of the source. */
    VideoFrame read() throws SourceException;

    /** Nominal frames per second (for output video timing and live pacing); 0 when unknown. */
    double frameRate();

    /** Problems that did not end the source (a skipped corrupt image), for the summary. */
    default long skippedFrames() {
        return 0;
    }

    /**
     * True after {@link #read()} returned null because a stream of known length played to its end (an
     * {@code http://} file), as opposed to a live stream that stopped: such an end is not worth reconnecting for.
     */
    default boolean completed() {
        return false;
    }

    /** How many times a network source reconnected. */
    default long reconnects() {
        return 0;
    }

    @Override
    void close();
}
