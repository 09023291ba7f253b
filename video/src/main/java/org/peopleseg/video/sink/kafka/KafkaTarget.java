package org.peopleseg.video.sink.kafka;

/**
 * Where the Kafka sink publishes: {@code BOOTSTRAP/TOPIC}, e.g. {@code broker1:9092,broker2:9092/people}.
 *
 * @param bootstrap      Kafka's {@code bootstrap.servers}
 * @param topic          one message per frame, keyed by the source name
 * @param bufferFrames   frames waiting for the producer at most; past that a frame is dropped for this sink (a slow
 *                       or absent broker never holds up inference)
 * @param startTimeoutMs how long the start waits for the broker's metadata before failing
 * @param closeTimeoutMs how long the end waits for outstanding messages to be acknowledged
 */
public record KafkaTarget(String bootstrap, String topic, int bufferFrames, long startTimeoutMs,
                          long closeTimeoutMs) {
    public static final int DEFAULT_BUFFER_FRAMES = 1000;
    public static final long DEFAULT_START_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_CLOSE_TIMEOUT_MS = 30_000;

    public KafkaTarget {
        if (bootstrap == null || bootstrap.isBlank() || topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("kafka target needs BOOTSTRAP/TOPIC, e.g. localhost:9092/people");
        }
        if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("kafka topic '" + topic + "': use letters, digits, '.', '_', '-'");
        }
        if (bufferFrames < 1) {
            throw new IllegalArgumentException("kafka buffer must be 1 frame or more, got " + bufferFrames);
        }
        if (startTimeoutMs < 1 || closeTimeoutMs < 0) {
            throw new IllegalArgumentException("kafka timeouts must be positive");
        }
    }

    /** {@code BOOTSTRAP/TOPIC} with the default buffer and timeouts. */
    public static KafkaTarget parse(String s) {
        int slash = s == null ? -1 : s.lastIndexOf('/');
        if (slash <= 0 || slash == s.length() - 1) {
            throw new IllegalArgumentException("--kafka wants BOOTSTRAP/TOPIC, e.g. localhost:9092/people; got '"
                    + s + "'");
        }
        return new KafkaTarget(s.substring(0, slash), s.substring(slash + 1), DEFAULT_BUFFER_FRAMES,
                DEFAULT_START_TIMEOUT_MS, DEFAULT_CLOSE_TIMEOUT_MS);
    }

    @Override
    public String toString() {
        return bootstrap + "/" + topic;
    }
}
