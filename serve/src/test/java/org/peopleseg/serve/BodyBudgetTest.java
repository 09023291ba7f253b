package org.peopleseg.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The budget for request bodies held at once: a body that does not fit while others are held is answered 503 with
 * Retry-After and Connection: close — a declared length before any byte is read, a chunked body as soon as its bytes
 * pass the budget — and fits again once the others are answered.
 */
class BodyBudgetTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void reservationsAreBoundedAndGivenBack() throws Exception {
        BodyBudget budget = new BodyBudget(1000);
        BodyBudget.Claim a = budget.claim();
        BodyBudget.Claim b = budget.claim();
        a.ensure(600);
        a.ensure(400); // already held
        ServeException e = assertThrows(ServeException.class, () -> b.ensure(500));
        assertEquals(503, e.status());
        assertEquals(1, e.retryAfterSeconds());
        assertEquals(600, budget.used(), "a refused reservation takes nothing");
        b.ensure(400);
        a.close();
        b.ensure(900);
        assertEquals(900, budget.used());
        b.close();
        assertEquals(0, budget.used());
        // an eighth of the heap, never less than one largest body
        assertEquals(768L * MIB, BodyBudget.automatic(32L * MIB, 6L << 30));
        assertEquals(32L * MIB, BodyBudget.automatic(32L * MIB, 128L * MIB));
    }

    @Test
    void aBodyThatDoesNotFitNowIs503UntilTheOthersAreAnswered() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        TestModels.maskRcnn(models.resolve("m.onnx"), 96, 64);
        try (InferenceServer server = Http.start(ServeOptions.defaults(models).withPorts(0, -1)
                .withConcurrency(1, 8, 1).withLimits(MIB, Duration.ofSeconds(30), Duration.ofSeconds(10))
                .withBodyBudget(MIB), new StringWriter())) {
            Http http = new Http(server);
            byte[] zeros = new byte[300_000];
            try (Socket a = new Socket("127.0.0.1", server.httpPort())) {
                // A declares 800 KB and sends 1 KB: its 800 KB are reserved before it sends the rest
                a.setSoTimeout(20_000);
                OutputStream ao = a.getOutputStream();
                ao.write(("POST /v1/segment?model=m HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 800000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                ao.write(new byte[1000]);
                ao.flush();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (server.bodyBytesHeld() < 800_000 && System.nanoTime() < until) {
                    Thread.sleep(10);
                }
                assertEquals(800_000, server.bodyBytesHeld(), "A's declared length is reserved");

                // B: 300 KB declared do not fit next to A's 800 KB
                long t0 = System.nanoTime();
                HttpResponse<String> b = http.post("/v1/segment?model=m", zeros);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertEquals(503, b.statusCode(), b.body());
                assertEquals("1", b.headers().firstValue("Retry-After").orElse(""));
                assertEquals("close", b.headers().firstValue("Connection").orElse(""));
                assertTrue(b.body().contains("budget"), b.body());
                assertTrue(ms < 2000, "the 503 took " + ms + " ms");

                // C: chunked, no declared length: refused once its bytes pass the budget (after 224 KB or so)
                try (Socket c = new Socket("127.0.0.1", server.httpPort())) {
                    c.setSoTimeout(20_000);
                    OutputStream co = c.getOutputStream();
                    co.write(("POST /v1/segment?model=m HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 3; i++) {
                        co.write((Integer.toHexString(100_000) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        co.write(new byte[100_000]);
                        co.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    co.flush(); // 300 KB sent, no last chunk: the body is not over
                    String head = RefusalTest.head(c.getInputStream());
                    assertTrue(head.startsWith("HTTP/1.1 503"), head);
                    assertTrue(head.toLowerCase().contains("connection: close"), head);
                    assertTrue(RefusalTest.endsSoon(c.getInputStream()), "C's connection stayed open");
                }
                assertEquals(800_000, server.bodyBytesHeld(), "C's bytes are given back, A's still held");

                // A sends the rest: its answer (400, zeros are no image) gives its 800 KB back
                ao.write(new byte[799_000]);
                ao.flush();
                InputStream ai = a.getInputStream();
                String head = RefusalTest.head(ai);
                assertTrue(head.startsWith("HTTP/1.1 400"), head);
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.bodyBytesHeld() > 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertEquals(0, server.bodyBytesHeld(), "every reservation is given back");
            HttpResponse<String> again = http.post("/v1/segment?model=m", zeros);
            assertEquals(400, again.statusCode(), "B fits now (and is read: zeros are no image): " + again.body());
            assertEquals(200, http.post("/v1/segment?model=m", MalformedRequestsTest.jpeg(120, 80)).statusCode());
        }
    }
}
