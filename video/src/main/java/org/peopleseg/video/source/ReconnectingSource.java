package org.peopleseg.video.source;

import java.util.function.Consumer;

/**
 * A network stream that survives outages: a read error, a timeout or an unexpected end closes the decoder and
 * reopens the stream after a growing pause (0.5 s, 1 s, 2 s, ... at most 10 s). After {@code maxReconnects}
 * consecutive failed attempts the source is given up with the last error. Frame numbering continues across
 * reconnections.
 */
public final class ReconnectingSource implements FrameSource {

    /** Opens the underlying decoder; called again on every reconnection. */
    @FunctionalInterface
    public interface Opener {
        FrameSource open() throws SourceException;
    }

    static final long FIRST_PAUSE_MS = 500;
    static final long MAX_PAUSE_MS = 10_000;

    private final SourceSpec spec;
    private final Opener opener;
    private final Consumer<String> warnings;
    private final Sleeper sleeper;
    private FrameSource current;
    private long index;
    private long reconnects;
    /** Added to the current decoder's timestamps, which restart at 0 on every connection. */
    private double offsetMs;
    private double lastTimestampMs;
    private long lastFrameNanos = -1;
    private volatile boolean closed;

    /** Pauses between attempts; tests replace it to run without waiting. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    ReconnectingSource(SourceSpec spec, Opener opener, Consumer<String> warnings, Sleeper sleeper) {
        this.spec = spec;
        this.opener = opener;
        this.warnings = warnings;
        this.sleeper = sleeper;
    }

    /** Connects now (so a wrong URL fails at start, with its error) and reconnects later as needed. */
    public static ReconnectingSource open(SourceSpec spec, Opener opener, Consumer<String> warnings)
            throws SourceException {
        ReconnectingSource s = new ReconnectingSource(spec, opener, warnings, Thread::sleep);
        s.current = opener.open();
        return s;
    }

    @Override
    public VideoFrame read() throws SourceException {
        int failures = 0;
        SourceException last = null;
        while (!closed) {
            if (current != null) {
                try {
                    VideoFrame f = current.read();
                    if (f != null) {
                        // never backwards, also across reconnections
                        lastTimestampMs = Math.max(lastTimestampMs, offsetMs + f.timestampMs());
                        lastFrameNanos = System.nanoTime();
                        return new VideoFrame(index++, lastTimestampMs, f.image(), f.readNanos());
                    }
                    if (current.completed()) {
                        return null; // a stream of known length (an http:// file) played to its end
                    }
                    last = new SourceException(spec.uri() + ": the stream ended or stalled (no data within the "
                            + spec.timeoutMs() + " ms read timeout)");
                } catch (SourceException e) {
                    last = e;
                }
                current.close();
                current = null;
                warnings.accept(last.getMessage() + "; reconnecting");
            }
            if (failures >= spec.maxReconnects()) {
                throw new SourceException(spec.uri() + ": gave up after " + failures + " reconnection attempts: "
                        + last.getMessage(), last);
            }
            long pause = Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS << Math.min(failures, 20));
            failures++;
            try {
                sleeper.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            try {
                current = opener.open();
                reconnects++;
                if (lastFrameNanos >= 0) {
                    // the new connection's clock starts at 0: continue from the last frame, plus the outage
                    offsetMs = lastTimestampMs + (System.nanoTime() - lastFrameNanos) / 1e6;
                }
            } catch (SourceException e) {
                last = e;
                warnings.accept(e.getMessage() + " (attempt " + failures + " of " + spec.maxReconnects() + ")");
            }
        }
        return null;
    }

    @Override
    public double frameRate() {
        return current != null ? current.frameRate() : 0;
    }

    @Override
    public long reconnects() {
        return reconnects;
    }

    @Override
    public void close() {
        closed = true;
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
