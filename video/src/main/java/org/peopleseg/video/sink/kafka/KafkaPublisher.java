package org.peopleseg.video.sink.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.peopleseg.video.pipeline.SinkFactory;
import org.peopleseg.video.pipeline.StreamSummary;
import org.peopleseg.video.sink.FrameSink;

/**
 * One Kafka producer for a whole stream run: every source's {@link KafkaFrameSink} hands its frames' JSON lines here.
 *
 * <p>The pipeline's sink thread only ever offers a message to a bounded queue ({@link KafkaTarget#bufferFrames}); a
 * full queue drops the frame for this sink and counts it. A sender thread of its own feeds the producer, so a slow,
 * absent or restarting broker can block nothing but that thread. The producer is idempotent with {@code acks=all}
 * and retries until {@code delivery.timeout.ms}: a broker restarted mid-stream gets the buffered messages once it is
 * back, exactly once each. Counts: delivered (acknowledged by the broker), failed (the producer gave up, or not
 * acknowledged by the end of {@link #close()}), dropped (never sent: the buffer was full).
 */
public final class KafkaPublisher implements SinkFactory, AutoCloseable {
    private static final Message END = new Message(null, null);

    private record Message(String key, String value) {}

    private final KafkaTarget target;
    private final Producer<byte[], byte[]> producer;
    private final BlockingQueue<Message> queue;
    private final Thread sender;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong outstanding = new AtomicLong();
    private final Object counts = new Object();
    private volatile String lastError;
    /** System.nanoTime() by which close() gives up, 0 until close() begins. */
    private volatile long closeDeadline;
    private boolean sealed;
    private boolean closed;

    private KafkaPublisher(KafkaTarget target, Producer<byte[], byte[]> producer) {
        this.target = target;
        this.producer = producer;
        this.queue = new ArrayBlockingQueue<>(target.bufferFrames());
        this.sender = new Thread(this::sendLoop, "peopleseg-kafka-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /**
     * Connects and fetches the topic's metadata, or fails naming the broker.
     *
     * @throws IOException "kafka BOOTSTRAP/TOPIC: ..." when no broker answers within the start timeout
     */
    public static KafkaPublisher open(KafkaTarget target) throws IOException {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrap());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5"); // the idempotent maximum
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"); // RLE strings compress about 3x
        // bounds the start's metadata wait and any later send() (on the sender thread only)
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(target.startTimeoutMs()));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "peopleseg-stream");
        KafkaProducer<byte[], byte[]> producer;
        try {
            producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            throw new IOException("kafka " + target + ": " + rootMessage(e), e);
        }
        try {
            producer.partitionsFor(target.topic());
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw new IOException("kafka " + target + ": no answer from broker " + target.bootstrap() + " within "
                    + target.startTimeoutMs() + " ms (" + rootMessage(e) + ")", e);
        }
        return new KafkaPublisher(target, producer);
    }

    @Override
    public List<FrameSink> open(org.peopleseg.video.source.SourceSpec source, int width, int height, double fps) {
        return List.of(new KafkaFrameSink(this, source.name()));
    }

    /** Never blocks: queues the frame's message, or counts it as dropped when the buffer is full. */
    void offer(String source, String jsonLine) {
        if (!queue.offer(new Message(source, jsonLine))) {
            dropped.incrementAndGet();
        }
    }

    private void sendLoop() {
        try {
            while (true) {
                Message m = queue.take();
                if (m == END) {
                    return;
                }
                outstanding.incrementAndGet();
                if (!awaitTopicMetadata()) {
                    completed(new KafkaException("no broker answered for topic " + target.topic()
                            + " before the close timeout"));
                    continue;
                }
                try {
                    producer.send(new ProducerRecord<>(target.topic(), m.key().getBytes(StandardCharsets.UTF_8),
                            m.value().getBytes(StandardCharsets.UTF_8)), (meta, e) -> completed(e));
                } catch (KafkaException e) { // e.g. the metadata wait ran out while the broker was away
                    completed(e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until the producer knows the topic's partitions, so that {@code send} never fails a message because a
     * restarting broker briefly forgot the topic (send's own metadata wait is bounded by max.block.ms and then fails
     * the message). Retries until it succeeds, or until the close deadline has passed once closing has begun.
     * Messages keep their order: this runs on the sender thread, before the message is sent.
     */
    private boolean awaitTopicMetadata() {
        while (true) {
            try {
                producer.partitionsFor(target.topic()); // the cached metadata when the producer has it: no wait
                return true;
            } catch (KafkaException e) {
                long deadline = closeDeadline;
                if (deadline != 0 && System.nanoTime() > deadline) {
                    lastError = rootMessage(e);
                    return false;
                }
            }
        }
    }

    /** A message's outcome; after {@link #close()} has counted the rest as failed, late outcomes change nothing. */
    private void completed(Exception e) {
        synchronized (counts) {
            if (sealed) {
                return;
            }
            if (e == null) {
                delivered.incrementAndGet();
            } else {
                failed.incrementAndGet();
                lastError = rootMessage(e);
            }
            outstanding.decrementAndGet();
        }
    }

    /**
     * Sends what is queued and waits up to the close timeout for acknowledgements; what is still unacknowledged
     * then counts as failed.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(target.closeTimeoutMs());
        closeDeadline = deadline;
        try {
            queue.put(END);
            sender.join(Math.max(1, target.closeTimeoutMs()));
            // flush() has no timeout of its own (it waits out delivery.timeout.ms): watch the outcomes instead
            while (outstanding.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (counts) {
            sealed = true;
            long left = outstanding.getAndSet(0) + queue.stream().filter(m -> m != END).count();
            queue.clear();
            failed.addAndGet(left);
            if (left > 0 && lastError == null) {
                lastError = left + " message(s) not acknowledged within " + target.closeTimeoutMs() + " ms";
            }
        }
        producer.close(Duration.ZERO);
    }

    /** The counts for summary.json; call after {@link #close()} for final numbers. */
    public StreamSummary.Sink report() {
        return new StreamSummary.Sink("kafka", target.toString(), delivered.get(), failed.get(), dropped.get(),
                lastError);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
