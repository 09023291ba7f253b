package org.peopleseg.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full queue answers 503 with Retry-After and {@code Connection: close} at once, before the body is read, and
 * each kind of client sees it while most of its body is still unsent: a raw socket (30 MB declared, 64 KB sent),
 * the JDK's HttpClient (a 30 MB body, with and without {@code Expect: 100-continue}) and curl (a 30 MB file, with
 * and without Expect). The server used to drain a refused body first: the raw client then waited for the read
 * timeout (10 s here) before its 503, and that is what the 2 s limits catch. The model (one instance, no queue) is
 * held busy by a request whose picture never finishes decoding until the test lets it.
 */
class RefusalTest {
    private static final int BODY = 30_000_000;
    private static final long PROMPT_MS = 2000;

    @TempDir
    static Path dir;
    static InferenceServer server;
    static final CountDownLatch release = new CountDownLatch(1);
    static CompletableFuture<Void> holder;

    @BeforeAll
    static void startSaturated() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        TestModels.maskRcnn(models.resolve("m.onnx"), 320, 256);
        server = Http.start(ServeOptions.defaults(models).withPorts(0, -1).withConcurrency(1, 0, 1),
                new StringWriter());
        holder = holdBusy(server, "m", release);
    }

    @AfterAll
    static void stop() throws Exception {
        release.countDown();
        if (holder != null) {
            holder.get(60, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * Keeps one request of the model in its decode step until {@code release}: with one instance and no queue the
     * model is then saturated. Returns once it is.
     */
    static CompletableFuture<Void> holdBusy(InferenceServer server, String model, CountDownLatch release)
            throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        java.awt.image.BufferedImage picture = new java.awt.image.BufferedImage(32, 32,
                java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        CompletableFuture<Void> f = CompletableFuture.runAsync(() -> {
            try (ModelRepository.Lease lease = server.repository().acquire(model)) {
                lease.model().segment(() -> {
                    inside.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return picture;
                }, "held", TimeUnit.MINUTES.toNanos(5));
            } catch (ServeException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(inside.await(60, TimeUnit.SECONDS), "the holding request did not start");
        return f;
    }

    private String url() {
        return "http://127.0.0.1:" + server.httpPort() + "/v1/segment?model=m";
    }

    @Test
    void aRawClientGets503BeforeSendingItsBodyAndTheConnectionEnds() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
            startLargeUpload(s);
            long t0 = System.nanoTime();
            InputStream in = s.getInputStream();
            String head = head(in);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertRefusal(head, ms);
            // the server ends the connection without waiting for the 29.9 MB still unsent
            long t1 = System.nanoTime();
            assertTrue(endsSoon(in), "the connection stayed open after the 503");
            assertTrue(System.nanoTime() - t1 < TimeUnit.MILLISECONDS.toNanos(PROMPT_MS), "the connection ended late");
        }
    }

    /**
     * A client that goes on sending after the 503 (as one that writes its whole body before reading does) is not
     * reset: the server drops what comes until the client closes. Closing at once with bytes unread made the kernel
     * answer them with a reset, and a reset can discard the 503 before the client has read it (the JDK client then
     * saw "header parser received no bytes", about once in 50 requests).
     */
    @Test
    void aClientStillSendingAfterThe503IsNotReset() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
            OutputStream o = startLargeUpload(s);
            InputStream in = s.getInputStream();
            assertRefusal(head(in), 0);
            Thread.sleep(300); // the server has finished the answer and would have closed by now
            byte[] more = new byte[64 * 1024];
            for (int i = 0; i < 64; i++) { // 4 MB more: every write is read and dropped, none meets a reset
                o.write(more);
            }
            o.flush();
            byte[] buf = new byte[8192];
            while (in.read(buf) >= 0) {
                // the rest of the 503's body, then the end of stream the server sent with it
            }
        }
    }

    /**
     * The body is produced lazily (64 KB arrays), so the client is still sending when the 503 comes. With
     * {@code expectContinue(true)} JDK 17's client hangs on any final answer instead of 100 (JDK-8286171, fixed in
     * JDK 20), so that variant runs on 20 and later only; {@code BodyPublishers.ofInputStream} also hung here on 17
     * when the server closed the connection, {@code ofByteArrays} does not.
     */
    @Test
    void theJdkClientGets503WhileItsBodyIsLarge() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Boolean> expects = Runtime.version().feature() >= 20 ? List.of(false, true) : List.of(false);
        for (boolean expect : expects) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url())).timeout(Duration.ofSeconds(30))
                    .expectContinue(expect).header("Content-Type", "image/jpeg")
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArrays(
                            () -> new Chunks(BODY, 64 * 1024)), BODY))
                    .build();
            long t0 = System.nanoTime();
            HttpResponse<String> r = client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .get(30, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(503, r.statusCode(), "expect-continue " + expect + ": " + r.body());
            assertEquals("1", r.headers().firstValue("Retry-After").orElse(""), "Retry-After, expect " + expect);
            assertEquals("close", r.headers().firstValue("Connection").orElse(""), "Connection, expect " + expect);
            assertTrue(r.body().contains("is busy"), r.body());
            assertTrue(ms < PROMPT_MS, "expect-continue " + expect + ": the 503 took " + ms + " ms");
        }
    }

    @Test
    void curlGets503AndStopsSending() throws Exception {
        Assumptions.assumeTrue(curlRuns(), "curl not found on PATH (apt-get install curl): the curl client is not tested");
        Path file = dir.resolve("large.jpg");
        if (!Files.exists(file)) {
            Files.write(file, new byte[BODY]);
        }
        for (boolean expect : List.of(true, false)) {
            List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-S", "-o", "/dev/null", "-D", "-",
                    "-w", "sent=%{size_upload}\\n", "--max-time", "20", "-H", "Content-Type: image/jpeg",
                    "--data-binary", "@" + file, url()));
            if (!expect) {
                cmd.addAll(List.of("-H", "Expect:"));
            }
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "curl did not end");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertRefusal(out, ms);
            var sent = Pattern.compile("sent=(\\d+)").matcher(out);
            assertTrue(sent.find(), out);
            assertTrue(Long.parseLong(sent.group(1)) < BODY, "curl sent its whole body: " + out);
        }
    }

    /**
     * Python's bare http.client writes its whole body before it reads anything: it gets the 503 once the server has
     * dropped the 30 MB (before the lingering close, it got a broken pipe).
     */
    @Test
    void pythonsHttpClientGets503AfterWritingItsWholeBody() throws Exception {
        Assumptions.assumeTrue(runs("python3", "--version"), "python3 not found on PATH: http.client is not tested");
        String script = String.join("\n",
                "import http.client, sys",
                "c = http.client.HTTPConnection('127.0.0.1', int(sys.argv[1]), timeout=20)",
                "c.request('POST', '/v1/segment?model=m', body=bytes(" + BODY + "), headers={'Content-Type': 'image/jpeg'})",
                "r = c.getresponse()",
                "print(r.status, r.getheader('Retry-After'), r.getheader('Connection'), r.read().decode())");
        Process p = new ProcessBuilder("python3", "-c", script, String.valueOf(server.httpPort()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "python did not end");
        assertTrue(out.startsWith("503 1 close ") && out.contains("is busy"), out);
    }

    private static boolean curlRuns() {
        return runs("curl", "--version");
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void assertRefusal(String head, long ms) {
        assertTrue(head.startsWith("HTTP/1.1 503"), head);
        assertTrue(Pattern.compile("(?im)^Retry-After: 1\\r?$").matcher(head).find(), "no Retry-After: " + head);
        assertTrue(Pattern.compile("(?im)^Connection: close\\r?$").matcher(head).find(), "no Connection: close: " + head);
        assertTrue(ms < PROMPT_MS, "the 503 took " + ms + " ms:\n" + head);
    }

    /** Sends the head of a 30 MB image upload and its first 64 KB; returns the stream to send more on. */
    private static OutputStream startLargeUpload(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        OutputStream o = s.getOutputStream();
        o.write(("POST /v1/segment?model=m HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\n"
                + "Content-Length: " + BODY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        o.write(new byte[64 * 1024]);
        o.flush();
        return o;
    }

    /** The status line and headers, up to the blank line. */
    static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            byte[] a = b.toByteArray();
            int n = a.length;
            if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                break;
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** True when the peer closes (end of stream or a reset) before the socket's read timeout. */
    static boolean endsSoon(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        try {
            while (in.read(buf) >= 0) {
                // the rest of the 503's body
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: closed too
        }
    }

    /** n zero bytes in arrays of {@code size}, each made when it is asked for. */
    static final class Chunks implements java.util.Iterator<byte[]> {
        private long left;
        private final int size;

        Chunks(long n, int size) {
            this.left = n;
            this.size = size;
        }

        @Override
        public boolean hasNext() {
            return left > 0;
        }

        @Override
        public byte[] next() {
            int n = (int) Math.min(size, left);
            left -= n;
            return new byte[n];
        }
    }
}
