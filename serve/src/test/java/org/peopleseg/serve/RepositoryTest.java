package org.peopleseg.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model repository: Triton's index / load / unload, poll mode picking up new, changed and removed packages, and a
 * package replaced while requests run without one of them failing.
 */
class RepositoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void loadUnloadIndexAndPoll() throws Exception {
        Path photo = TestModels.photo("000000005060.jpg");
        byte[] image = Files.readAllBytes(photo);
        Path models = Files.createDirectories(dir.resolve("models"));
        Path spare = TestModels.yolo(dir.resolve("spare.onnx"), 256, 160);
        Files.copy(spare, models.resolve("a.onnx"));
        Files.writeString(models.resolve("broken.onnx"), "not a model");
        Files.writeString(models.resolve("bad name!.onnx"), "skipped: not a valid model name");
        StringWriter log = new StringWriter();
        try (InferenceServer server = Http.start(ServeOptions.defaults(models).withPorts(0, -1)
                .withConcurrency(1, 8, 1).withPoll(Duration.ofMillis(200)), log)) {
            Http http = new Http(server);
            assertEquals(List.of("a"), server.models());
            assertTrue(log.toString().contains("model broken not loaded: "), log.toString());
            JsonNode index = JSON.readTree(http.post("/v2/repository/index", new byte[0]).body());
            assertEquals("[{\"name\":\"a\",\"version\":\"1\",\"state\":\"READY\",\"reason\":\"\"},"
                    + "{\"name\":\"broken\",\"state\":\"UNAVAILABLE\",\"reason\":", index.toString().substring(0,
                    index.toString().indexOf("\"reason\":", 70) + 9));

            assertEquals(200, http.post("/v2/repository/models/a/unload", new byte[0]).statusCode());
            assertEquals(404, http.post("/v1/segment?model=a", image).statusCode(), "unloaded");
            assertEquals(404, http.post("/v2/repository/models/a/unload", new byte[0]).statusCode());
            assertEquals(200, http.post("/v2/repository/models/a/load", new byte[0]).statusCode());
            assertEquals(200, http.post("/v1/segment?model=a", image).statusCode(), "loaded again");
            HttpResponse<String> bad = http.post("/v2/repository/models/broken/load", new byte[0]);
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("failed to load model 'broken'"), bad.body());

            // poll: a new package appears, then goes away
            Path tmp = models.resolve("b.onnx.tmp");
            Files.copy(spare, tmp);
            Files.move(tmp, models.resolve("b.onnx"), StandardCopyOption.ATOMIC_MOVE);
            waitFor(() -> server.models().contains("b"), "b loaded by the poller");
            Files.delete(models.resolve("b.onnx"));
            waitFor(() -> !server.models().contains("b"), "b unloaded by the poller");
            waitFor(() -> log.toString().contains("unloaded model b (its package was removed)"), "the unload logged");
        }
    }

    @Test
    void replacingAPackageUnderLoadFailsNoRequest() throws Exception {
        Path photo = TestModels.photo("000000005060.jpg");
        byte[] image = Files.readAllBytes(photo);
        Path models = Files.createDirectories(dir.resolve("models"));
        Path small = TestModels.yolo(dir.resolve("small.onnx"), 256, 160);
        Path large = TestModels.yolo(dir.resolve("large.onnx"), 320, 192);
        Files.copy(small, models.resolve("people.onnx"));
        StringWriter log = new StringWriter();
        try (InferenceServer server = Http.start(ServeOptions.defaults(models).withPorts(0, -1)
                .withConcurrency(1, 32, 1).withPoll(Duration.ofMillis(100)), log)) {
            Http http = new Http(server);
            AtomicBoolean stop = new AtomicBoolean();
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            ConcurrentHashMap<Integer, Integer> statuses = new ConcurrentHashMap<>();
            ExecutorService clients = Executors.newFixedThreadPool(3);
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                running.add(clients.submit(() -> {
                    for (int i = 0; i < 400 && !stop.get(); i++) { // bounded: stops by itself
                        try {
                            HttpResponse<String> r = http.post("/v1/segment?model=people", image);
                            statuses.merge(r.statusCode(), 1, Integer::sum);
                            if (r.statusCode() != 200) {
                                failures.add(r.statusCode() + " " + r.body());
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(1500);
            for (int round = 0; round < 4; round++) { // replace the package back and forth, atomically, under load
                Path next = round % 2 == 0 ? large : small;
                Path tmp = models.resolve("people.onnx.tmp");
                Files.copy(next, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, models.resolve("people.onnx"), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                int width = round % 2 == 0 ? 320 : 256;
                waitFor(() -> modelWidth(http) == width, "reloaded at width " + width);
                Thread.sleep(800);
            }
            stop.set(true);
            for (Future<?> f : running) {
                f.get(120, TimeUnit.SECONDS);
            }
            clients.shutdown();
            assertEquals(List.of(), failures, "requests failed during reloads; statuses " + statuses);
            assertTrue(statuses.getOrDefault(200, 0) >= 10, "the load ran: " + statuses);
            assertEquals(4, log.toString().lines().filter(l -> l.startsWith("reloaded model people")).count(), log.toString());
        }
    }

    private static int modelWidth(Http http) {
        try {
            JsonNode m = JSON.readTree(http.get("/v1/models").body()).get("models").get(0);
            return m.get("input_width").asInt();
        } catch (Exception e) {
            return -1;
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(50);
        }
    }
}
