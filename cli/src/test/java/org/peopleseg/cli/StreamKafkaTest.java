package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code peopleseg stream} into a REAL Kafka broker (Apache Kafka's KRaft server, a child JVM): every frame's message
 * equals its line in NAME.jsonl, keyed by the source; the broker stopped and restarted mid-stream loses nothing the
 * summary calls delivered, and duplicates nothing (idempotent producer); a broker that is down at start is one
 * clear error naming it.
 */
class StreamKafkaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FRAMES = 40;

    @TempDir
    Path dir;

    @Test
    void brokerDownAtStartIsOneErrorNamingTheBroker() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Path model = StreamCommandTest.yolo();
        Cli.Result r = Cli.run("stream", "--model", model.toString(), "--source",
                SharedFiles.shared("data/vtest/vtest.avi").toString(), "--output", dir.resolve("out").toString(),
                "--no-video", "--max-frames", "5", "--kafka", "127.0.0.1:" + port + "/people");
        assertEquals(Main.ERROR, r.code(), r.all());
        assertTrue(r.err().contains("kafka 127.0.0.1:" + port + "/people: no answer from broker 127.0.0.1:" + port),
                r.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing should be written when the broker is down");
    }

    @Test
    void everyFrameReachesTheBrokerAndARestartLosesNothingDelivered() throws Exception {
        Path model = StreamCommandTest.yolo();
        Path vtest = SharedFiles.shared("data/vtest/vtest.avi");
        try (KafkaBroker broker = KafkaBroker.start(Files.createDirectories(dir.resolve("kafka")))) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic("people", 1, (short) 1))).all().get();
            }
            // the config file's sinks group, with a long close timeout: the restart may take a while on a busy machine
            Path out = dir.resolve("out");
            Path conf = dir.resolve("app.yml");
            Files.writeString(conf, String.join("\n",
                    "application: {output-dir: out, perf-interval-s: 0}",
                    "sources: [{uri: '" + vtest + "', name: vtest}]",
                    "streammux: {max-frames: " + FRAMES + "}",
                    "primary-gie: {model: '" + model + "', threads: 1}",
                    "sinks: {video: {enable: false}, kafka: {bootstrap: '" + broker.bootstrap()
                            + "', topic: people, close-timeout-ms: 120000}}", ""));

            // stop the broker once a few frames have arrived, restart it two seconds later
            AtomicBoolean restarted = new AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger seenBeforeStop = new java.util.concurrent.atomic.AtomicInteger();
            Thread operator = new Thread(() -> {
                try (KafkaConsumer<String, String> c = consumer(broker.bootstrap())) {
                    int seen = 0;
                    long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
                    while (seen < 8 && System.nanoTime() < deadline) {
                        seen += c.poll(Duration.ofMillis(200)).count();
                    }
                    seenBeforeStop.set(seen);
                }
                try {
                    broker.stop();
                    Thread.sleep(2000);
                    broker.restart();
                    restarted.set(true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "kafka-operator");
            operator.start();
            Cli.Result r = Cli.run("stream", "--config", conf.toString());
            operator.join(300_000);
            assertEquals(Main.OK, r.code(), r.all());
            assertTrue(restarted.get(), "the broker should have been restarted");
            assertTrue(seenBeforeStop.get() < FRAMES, "the broker should stop mid-stream, it stopped after "
                    + seenBeforeStop.get() + " frames");

            JsonNode sink = JSON.readTree(out.resolve("summary.json").toFile()).get("sinks").get(0);
            long delivered = sink.get("delivered").asLong();
            long failed = sink.get("failed").asLong();
            long dropped = sink.get("dropped").asLong();
            assertEquals(FRAMES, delivered + failed + dropped, sink.toString());
            assertTrue(r.out().contains("kafka " + broker.bootstrap() + "/people: " + delivered + " delivered"),
                    r.out());
            System.out.printf("[kafka] %d frames: %d delivered, %d failed, %d dropped (broker stopped after %d, "
                    + "restarted): %s%n", FRAMES, delivered, failed, dropped, seenBeforeStop.get(), sink);

            List<String> lines = Files.readAllLines(out.resolve("vtest.jsonl"), StandardCharsets.UTF_8);
            assertEquals(FRAMES, lines.size());
            Map<Long, String> byFrame = new HashMap<>();
            try (KafkaConsumer<String, String> c = consumer(broker.bootstrap())) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (byFrame.size() < delivered && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> m : c.poll(Duration.ofMillis(500))) {
                        assertEquals("vtest", m.key());
                        long frame = JSON.readTree(m.value()).get("frame").asLong();
                        String before = byFrame.put(frame, m.value());
                        assertEquals(null, before, "frame " + frame + " delivered twice");
                    }
                }
            }
            assertTrue(byFrame.size() >= delivered, "the topic holds " + byFrame.size() + " frames, the summary says "
                    + delivered + " were delivered");
            for (Map.Entry<Long, String> e : byFrame.entrySet()) {
                assertEquals(lines.get((int) (e.getKey() - 1)), e.getValue(), "frame " + e.getKey());
            }
        }
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        TopicPartition tp = new TopicPartition("people", 0);
        c.assign(List.of(tp));
        c.seekToBeginning(List.of(tp));
        return c;
    }

}
