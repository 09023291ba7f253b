package org.peopleseg.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounded queue: with one instance and one queue place, a burst gets 200s and immediate 503s with Retry-After
 * (nothing else); with a short request timeout, requests that wait too long get 504. A Mask R-CNN with deterministic
 * weights is the (slow enough) model, so no shared data is needed.
 */
class QueueLimitsTest {
    @TempDir
    Path dir;

    @Test
    void fullQueueIs503AndAWaitPastTheTimeoutIs504() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        TestModels.maskRcnn(models.resolve("m.onnx"), 320, 256);
        byte[] image = MalformedRequestsTest.jpeg(320, 240);
        try (InferenceServer server = Http.start(ServeOptions.defaults(models).withPorts(0, -1)
                .withConcurrency(1, 1, 1), new StringWriter())) {
            Map<Integer, Integer> statuses = burst(new Http(server), image, 8, true);
            assertEquals(8, statuses.getOrDefault(200, 0) + statuses.getOrDefault(503, 0), "only 200 and 503: " + statuses);
            assertTrue(statuses.getOrDefault(503, 0) >= 1, "a full queue rejects: " + statuses);
            assertTrue(statuses.getOrDefault(200, 0) >= 2, "one running and one queued succeed: " + statuses);
            String metrics = new Http(server).get("/metrics").body();
            assertTrue(metrics.contains("nv_inference_request_failure{model=\"m\",reason=\"REJECTED\",version=\"1\"} "
                    + statuses.get(503) + ".0"), metrics);
        }
        try (InferenceServer server = Http.start(ServeOptions.defaults(models).withPorts(0, -1)
                .withConcurrency(1, 8, 1).withLimits(1 << 20, Duration.ofMillis(50), Duration.ofSeconds(5)),
                new StringWriter())) {
            Map<Integer, Integer> statuses = burst(new Http(server), image, 4, false);
            assertEquals(4, statuses.getOrDefault(200, 0) + statuses.getOrDefault(504, 0), "only 200 and 504: " + statuses);
            assertTrue(statuses.getOrDefault(504, 0) >= 1, "waiting past the timeout is 504: " + statuses);
        }
    }

    /** n requests at once; checks that every 503 carries Retry-After. */
    private static Map<Integer, Integer> burst(Http http, byte[] image, int n, boolean expectRetryAfter) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(pool.submit(() -> {
                go.await();
                return http.post("/v1/segment", image);
            }));
        }
        go.countDown();
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (Future<HttpResponse<String>> f : calls) {
            HttpResponse<String> r = f.get(120, TimeUnit.SECONDS);
            statuses.merge(r.statusCode(), 1, Integer::sum);
            if (r.statusCode() == 503 && expectRetryAfter) {
                assertEquals("1", r.headers().firstValue("Retry-After").orElse(""), "503 without Retry-After");
                assertTrue(r.body().contains("is busy"), r.body());
            }
        }
        pool.shutdown();
        return statuses;
    }
}
