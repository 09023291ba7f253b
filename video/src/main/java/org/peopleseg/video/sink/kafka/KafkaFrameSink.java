package org.peopleseg.video.sink.kafka;

import org.peopleseg.core.result.FrameJsonLine;
import org.peopleseg.video.pipeline.FrameResult;
import org.peopleseg.video.sink.FrameSink;

/**
 * One source's frames into Kafka: each frame is the JSON line the {@code NAME.jsonl} sink writes (the same bytes),
 * keyed by the source name so that a source's frames stay in order on one partition.
 */
final class KafkaFrameSink implements FrameSink {
    private final KafkaPublisher publisher;
    private final String source;

    KafkaFrameSink(KafkaPublisher publisher, String source) {
        this.publisher = publisher;
        this.source = source;
    }

    @Override
    public void write(FrameResult r) {
        publisher.offer(source, FrameJsonLine.toLine(r.source(), r.frameNumber(), r.frame().timestampMs(),
                r.inferred(), r.detections()));
    }

    /** The publisher outlives the sources; it is closed once, at the end of the run. */
    @Override
    public void close() {
    }
}
