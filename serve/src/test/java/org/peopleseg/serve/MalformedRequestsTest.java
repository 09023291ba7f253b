package org.peopleseg.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input: 60+ malformed requests (truncated and fake images, huge headers, a PNG decompression bomb, broken
 * and oversized JSON, wrong datatypes and shapes, bad binary framing, path tricks, a client that stops sending)
 * each get their 4xx within a time limit, the server stays up, and a good request afterwards still succeeds. Runs on a
 * Mask R-CNN with deterministic weights, so it needs nothing from ../shared.
 */
class MalformedRequestsTest {
    private static final long MAX_BODY = 1 << 20;
    private static final Duration LIMIT = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    static InferenceServer server;
    static Http http;
    static final StringWriter log = new StringWriter();
    static byte[] jpeg;

    @BeforeAll
    static void start() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        TestModels.maskRcnn(models.resolve("m.onnx"), 96, 64);
        jpeg = jpeg(120, 80);
        server = Http.start(ServeOptions.defaults(models).withPorts(0, -1).withConcurrency(1, 4, 1)
                .withLimits(MAX_BODY, Duration.ofSeconds(20), Duration.ofSeconds(1)), log);
        http = new Http(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    record Case(String what, String path, byte[] body, int status, String... headers) {}

    @Test
    void everyMalformedRequestGetsItsStatusAndTheServerStaysUp() throws Exception {
        List<Case> cases = new ArrayList<>();
        String infer = "/v2/models/m/infer";
        // images that are not what they claim
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
        cases.add(new Case("truncated JPEG (segment)", "/v1/segment", truncated, 400));
        cases.add(new Case("truncated JPEG (v2 base64)", infer, bytesJson(truncated), 400));
        cases.add(new Case("truncated JPEG (v2 binary)", infer, binary(truncated)[1], 400, binaryHeader(binary(truncated))));
        cases.add(new Case("JPEG header only", "/v1/segment", Arrays.copyOf(jpeg, 20), 400));
        cases.add(new Case("1x1 PNG header, no pixel data", "/v1/segment", pngHeaderOnly(1, 1), 400));
        cases.add(new Case("100000x100000 PNG header", "/v1/segment", pngHeaderOnly(100_000, 100_000), 413));
        cases.add(new Case("100000x100000 PNG header (v2)", infer, bytesJson(pngHeaderOnly(100_000, 100_000)), 413));
        cases.add(new Case("PNG decompression bomb 20000x20000", "/v1/segment", pngBomb(20_000, 20_000), 413));
        cases.add(new Case("1x1 GIF header, truncated", "/v1/segment", "GIF89a\1\0\1\0".getBytes(StandardCharsets.ISO_8859_1), 400));
        cases.add(new Case("text, not an image", "/v1/segment", "hello".getBytes(StandardCharsets.UTF_8), 400));
        cases.add(new Case("empty body", "/v1/segment", new byte[0], 400));
        cases.add(new Case("random bytes", "/v1/segment", random(5000), 400));
        // JSON that is not JSON, or not the protocol's
        for (String json : new String[] {"{", "[", "nul", "{\"inputs\": }", "\"just a string\"", "[1,2,3]", "{}",
                "{\"inputs\": {}}", "{\"inputs\": []}", "{\"inputs\": [1]}", "{\"inputs\": [{}]}",
                "{\"inputs\":[{\"name\":\"image\"}]}", "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\"}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[1]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":\"1\",\"data\":[\"\"]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[1.5],\"data\":[\"\"]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"!!!not base64\"]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[7]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":\"abc\"}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"\"]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[1],\"parameters\":{\"content_type\":\"str\"},\"data\":[\"x\"]}]}",
                "{\"inputs\":[{\"name\":\"picture\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"\"]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1.0]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[1]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"\",\"shape\":[1],\"data\":[1]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[-1],\"data\":[\"\"]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[2],\"data\":[\"\",\"\"]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"UINT8\",\"shape\":[-5,3,3],\"data\":[1]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"UINT8\",\"shape\":[0,0,3],\"data\":[]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"UINT8\",\"shape\":[2,2,4],\"data\":[1]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"UINT8\",\"shape\":[2,2],\"data\":[1,2,3,4]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"UINT8\",\"shape\":[2,2,3],\"data\":[1,2,3]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"UINT8\",\"shape\":[1,1,3],\"data\":[1,2,300]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"UINT8\",\"shape\":[1,1,3],\"data\":[1,2,-3]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"UINT8\",\"shape\":[1,1,3],\"data\":[1,2,\"3\"]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"UINT8\",\"shape\":[1,1,3],\"data\":[1,2,3,4]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"UINT8\",\"shape\":[99999999999999999999,2,3],\"data\":[1]}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"UINT8\",\"shape\":[1,1,3],\"parameters\":{\"binary_data_size\":3}}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"\"]}],\"outputs\":[{\"name\":\"nope\"}]}",
                "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"\"]}],\"outputs\":{}}"}) {
            cases.add(new Case("JSON " + json, infer, json.getBytes(StandardCharsets.UTF_8), 400));
        }
        cases.add(new Case("UINT8 shape [2^63-1, 2, 3]", infer, ("{\"inputs\":[{\"name\":\"image\",\"datatype\":"
                + "\"UINT8\",\"shape\":[9223372036854775807,2,3],\"data\":[1]}]}").getBytes(StandardCharsets.UTF_8), 413));
        cases.add(new Case("UINT8 100000x100000", infer, ("{\"inputs\":[{\"name\":\"image\",\"datatype\":\"UINT8\","
                + "\"shape\":[100000,100000,3],\"data\":[1]}]}").getBytes(StandardCharsets.UTF_8), 413));
        cases.add(new Case("JSON nested 100000 deep", infer, ("{\"inputs\":" + "[".repeat(100_000))
                .getBytes(StandardCharsets.UTF_8), 400));
        cases.add(new Case("two image inputs", infer, ("{\"inputs\":[" + input(jpeg) + "," + input(jpeg) + "]}")
                .getBytes(StandardCharsets.UTF_8), 400));
        byte[] huge = new byte[(int) MAX_BODY + 10];
        Arrays.fill(huge, (byte) ' ');
        cases.add(new Case("JSON over the body limit", infer, huge, 413));
        cases.add(new Case("image over the body limit", "/v1/segment", huge, 413));
        // the binary data extension, framed wrongly
        byte[][] bin = binary(jpeg);
        cases.add(new Case("header length past the body", infer, bin[1], 400, "Inference-Header-Content-Length",
                Integer.toString(bin[1].length + 10)));
        cases.add(new Case("header length negative", infer, bin[1], 400, "Inference-Header-Content-Length", "-5"));
        cases.add(new Case("header length not a number", infer, bin[1], 400, "Inference-Header-Content-Length", "ten"));
        cases.add(new Case("header length cuts the JSON", infer, bin[1], 400, "Inference-Header-Content-Length", "10"));
        cases.add(new Case("binary_data_size without the header", infer, bin[1], 400));
        byte[] extra = Arrays.copyOf(bin[1], bin[1].length + 7);
        cases.add(new Case("bytes after the binary inputs", infer, extra, 400, binaryHeader(bin)));
        // multipart that is not
        cases.add(new Case("multipart without boundary", "/v1/segment", jpeg, 400, "Content-Type", "multipart/form-data"));
        cases.add(new Case("multipart garbage", "/v1/segment", "--x\r\nnot headers".getBytes(StandardCharsets.UTF_8),
                400, "Content-Type", "multipart/form-data; boundary=x"));
        // names, versions, methods
        cases.add(new Case("unknown model", "/v2/models/other/infer", bytesJson(jpeg), 404));
        cases.add(new Case("unknown version", "/v2/models/m/versions/3/infer", bytesJson(jpeg), 404));
        cases.add(new Case("path traversal in the name", "/v2/models/..%2F..%2Fetc/infer", bytesJson(jpeg), 400));
        cases.add(new Case("dot name", "/v2/models/.hidden/infer", bytesJson(jpeg), 400));
        cases.add(new Case("load a path", "/v2/repository/models/..%2Fm/load", new byte[0], 400));
        cases.add(new Case("load a missing package", "/v2/repository/models/nothere/load", new byte[0], 404));
        cases.add(new Case("segment with an unknown model", "/v1/segment?model=zzz", jpeg, 404));
        cases.add(new Case("no such endpoint", "/v3/whatever", new byte[0], 404));

        assertTrue(cases.size() >= 50, "at least 50 malformed requests, got " + cases.size());
        List<String> wrong = new ArrayList<>();
        for (Case c : cases) {
            long t0 = System.nanoTime();
            HttpResponse<String> r;
            try {
                r = http.post(c.path(), c.body(), c.headers());
            } catch (IOException e) {
                wrong.add(c.what() + ": " + e);
                continue;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            boolean errorBody = r.body().startsWith("{\"error\":\"") && r.body().endsWith("\"}");
            if (r.statusCode() != c.status() || took.compareTo(LIMIT) > 0 || !errorBody) {
                wrong.add(c.what() + ": " + r.statusCode() + " in " + took.toMillis() + " ms: " + clip(r.body()));
            }
        }
        assertEquals(List.of(), wrong, "requests answered wrongly");
        assertEquals(405, http.get(infer).statusCode(), "GET on infer");

        // a client that stops sending its body is cut off by the read timeout (1 s here) with 408
        long t0 = System.nanoTime();
        String slow = rawExchange("POST " + infer + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n{\"inputs\":", Duration.ofSeconds(8));
        assertTrue(slow.startsWith("HTTP/1.1 408"), "slow body: " + clip(slow));
        assertTrue(System.nanoTime() - t0 < LIMIT.toNanos(), "the slow client was cut off in time");
        // a declared length over the limit is refused before the body is read
        String declared = rawExchange("POST /v1/segment HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n",
                Duration.ofSeconds(5));
        assertTrue(declared.startsWith("HTTP/1.1 413"), "declared huge body: " + clip(declared));

        // still serving: a good request succeeds, and a 1x1 image is not an error
        HttpResponse<String> good = http.post(infer, bytesJson(jpeg));
        assertEquals(200, good.statusCode(), good.body());
        assertEquals(200, http.post("/v1/segment", jpeg(1, 1)).statusCode());
        assertEquals(200, http.get("/v2/health/live").statusCode());
        String metrics = http.get("/metrics").body();
        assertTrue(metrics.contains("nv_inference_request_failure{model=\"m\",reason=\"OTHER\",version=\"1\"}"), metrics);
    }

    private static String input(byte[] image) {
        return "{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[1],\"parameters\":{\"content_type\":\"base64\"},"
                + "\"data\":[\"" + Base64.getEncoder().encodeToString(image) + "\"]}";
    }

    private static byte[] bytesJson(byte[] image) {
        return ("{\"inputs\":[" + input(image) + "]}").getBytes(StandardCharsets.UTF_8);
    }

    /** [header JSON, whole body] for one BYTES input sent as binary data. */
    private static byte[][] binary(byte[] image) {
        byte[] h = ("{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[1],\"parameters\":"
                + "{\"binary_data_size\":" + image.length + "}}]}").getBytes(StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOf(h, h.length + image.length);
        System.arraycopy(image, 0, body, h.length, image.length);
        return new byte[][] {h, body};
    }

    private static String[] binaryHeader(byte[][] bin) {
        return new String[] {"Inference-Header-Content-Length", Integer.toString(bin[0].length)};
    }

    static byte[] jpeg(int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(90, 140, 200));
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(200, 80, 60));
        g.fillOval(w / 3, h / 4, Math.max(1, w / 4), Math.max(1, h / 2));
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    private static byte[] pngHeaderOnly(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ihdr(w, h));
        return out.toByteArray();
    }

    /** A valid PNG whose pixels (all zero) compress a thousand-fold: tiny on the wire, gigabytes decoded. */
    private static byte[] pngBomb(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ihdr(w, h));
        Deflater d = new Deflater(9);
        byte[] row = new byte[1 + 3 * w]; // filter byte + RGB zeros
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        for (int y = 0; y < 2000; y++) { // the first 2000 rows are plenty to make the point (and stay small)
            d.setInput(row);
            while (!d.needsInput()) {
                z.write(buf, 0, d.deflate(buf));
            }
        }
        d.finish();
        while (!d.finished()) {
            z.write(buf, 0, d.deflate(buf));
        }
        chunk(out, "IDAT", z.toByteArray());
        chunk(out, "IEND", new byte[0]);
        assertTrue(out.size() < MAX_BODY, "the bomb fits the body limit: " + out.size());
        return out.toByteArray();
    }

    private static byte[] ihdr(int w, int h) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(w);
        d.writeInt(h);
        d.writeByte(8); // bit depth
        d.writeByte(2); // RGB
        d.writeByte(0);
        d.writeByte(0);
        d.writeByte(0);
        return b.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new java.util.Random(7).nextBytes(b);
        return b;
    }

    /** Sends raw bytes and reads what comes back until the server closes or {@code wait} passes. */
    private static String rawExchange(String request, Duration wait) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
            s.setSoTimeout((int) wait.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    got.write(buf, 0, n);
                    if (got.toString(StandardCharsets.ISO_8859_1).contains("\"}")) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // what came so far is the answer
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static String clip(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
