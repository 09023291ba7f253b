package org.peopleseg.runtime.session;

/**
 * How an ONNX Runtime session runs.
 *
 * @param threads intra-op threads (0 = ONNX Runtime's default: one per physical core)
 */
public record SessionSettings(int threads) {
    public SessionSettings {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
    }

    public static SessionSettings defaults() {
        return new SessionSettings(0);
    }
}
