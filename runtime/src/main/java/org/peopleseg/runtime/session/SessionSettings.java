package org.peopleseg.runtime.session;

/**
 * How an ONNX Runtime session runs.
 *
 * @param threads  intra-op threads (0 = ONNX Runtime's default: one per physical core)
 * @param spinning whether idle intra-op threads spin waiting for work (ONNX Runtime's default,
 *                 {@code session.intra_op.allow_spinning}): lowest latency when the process does nothing else, but a
 *                 spinning thread takes a core from other work in the process (a server decoding the next image)
 */
public record SessionSettings(int threads, boolean spinning) {
    public SessionSettings {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
    }

    /** {@code threads} intra-op threads that spin (ONNX Runtime's default). */
    public SessionSettings(int threads) {
        this(threads, true);
    }

    public static SessionSettings defaults() {
        return new SessionSettings(0);
    }
}
