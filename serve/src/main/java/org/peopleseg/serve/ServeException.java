package org.peopleseg.serve;

/**
 * A request that cannot be answered with a result: carries the HTTP status it maps to and a one-line message that
 * names the request's problem ({@code {"error": "..."}} in the v2 protocol, a gRPC status over gRPC).
 */
final class ServeException extends Exception {
    private final int status;
    private final int retryAfterSeconds;

    ServeException(int status, String message) {
        this(status, message, 0, null);
    }

    ServeException(int status, String message, Throwable cause) {
        this(status, message, 0, cause);
    }

    private ServeException(int status, String message, int retryAfterSeconds, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static ServeException badRequest(String message) {
        return new ServeException(400, message);
    }

    static ServeException notFound(String message) {
        return new ServeException(404, message);
    }

    static ServeException tooLarge(String message) {
        return new ServeException(413, message);
    }

    /** A full queue: the client should come back after {@code seconds}. */
    static ServeException unavailable(String message, int seconds) {
        return new ServeException(503, message, seconds, null);
    }

    int status() {
        return status;
    }

    /** Seconds for a Retry-After header, 0 for none. */
    int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The Triton failure reason label this maps to (nv_inference_request_failure{reason=...}). */
    String failureReason() {
        return switch (status) {
            case 503 -> "REJECTED";
            case 504 -> "TIMEOUT";
            case 500 -> "BACKEND";
            default -> "OTHER";
        };
    }
}
