package org.peopleseg.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker for tests: Kafka's own server ({@code kafka.Kafka}, from the kafka_2.13 jar on the
 * test class path) in KRaft combined mode (broker + controller, one node, no ZooKeeper), as a child JVM so that a
 * test can stop it and start it again on the same port and log directory, as an operator would restart a broker.
 *
 * <p>KRaft needs its storage formatted once with a cluster id before the first start ({@code kafka-storage.sh
 * format}, here {@code kafka.tools.StorageTool}); the internal topics get replication factor 1.
 */
final class KafkaBroker implements AutoCloseable {
    private final Path dir;
    private final Path config;
    private final int port;
    private Process process;

    private KafkaBroker(Path dir, int port) {
        this.dir = dir;
        this.config = dir.resolve("server.properties");
        this.port = port;
    }

    static KafkaBroker start(Path dir) throws Exception {
        int port = freePort();
        int controller = freePort();
        KafkaBroker b = new KafkaBroker(dir, port);
        Files.writeString(b.config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("logs"),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true", ""));
        Process format = b.java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
                b.config.toString()).start();
        if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IOException("kafka storage format failed, see " + dir.resolve("format.log"));
        }
        b.startProcess();
        return b;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Stops the broker as an operator would (SIGTERM: a controlled shutdown), and waits for it to exit. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    /** Starts it again on the same port and data. */
    void restart() throws Exception {
        stop();
        startProcess();
    }

    private void startProcess() throws Exception {
        process = java("kafka.Kafka", config.toString()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("kafka broker exited with " + process.exitValue() + ", see "
                        + dir.resolve("broker.log"));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IOException("kafka broker did not listen on " + port + " within 120 s");
    }

    private ProcessBuilder java(String main, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        String log = main.equals("kafka.Kafka") ? "broker.log" : "format.log";
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log).toFile()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
