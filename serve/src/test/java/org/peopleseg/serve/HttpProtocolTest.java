package org.peopleseg.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.mask.Rle;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.PerImageJson;
import org.peopleseg.models.PackagedSegmenter;
import org.peopleseg.models.Segmenters;
import org.peopleseg.runtime.session.SessionSettings;

/**
 * The v2 HTTP protocol against a running server with YOLO11n-seg (real COCO weights), through the JDK's HTTP client:
 * metadata, health, inference with base64 JSON, binary data in and out, UINT8 pixels, output selection,
 * {@code /v1/segment}, metrics and the API key.
 */
class HttpProtocolTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "s3cret-key";
    private static final String[] AUTH = {"Authorization", "Bearer " + KEY};

    @TempDir
    static Path dir;
    static InferenceServer server;
    static Http http;
    static StringWriter log = new StringWriter();
    static Path photo;
    static byte[] photoBytes;
    static Detections expected;

    @BeforeAll
    static void start() throws Exception {
        photo = TestModels.photo("000000005060.jpg");
        Path models = Files.createDirectories(dir.resolve("models"));
        Path model = TestModels.yolo(models.resolve("people.onnx"), 320, 192);
        photoBytes = Files.readAllBytes(photo);
        try (PackagedSegmenter s = Segmenters.open(model, new SessionSettings(1), 0.5)) {
            expected = s.segment(ImageReader.read(photo), photo.getFileName().toString());
        }
        assertFalse(expected.instances().isEmpty(), "the photo should show people");
        server = Http.start(ServeOptions.defaults(models).withPorts(0, -1).withConcurrency(1, 4, 1).withApiKey(KEY), log);
        http = new Http(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void serverAndModelMetadata() throws Exception {
        JsonNode meta = JSON.readTree(http.get("/v2", AUTH).body());
        assertEquals("peopleseg", meta.get("name").asText());
        assertTrue(meta.get("extensions").toString().contains("binary_tensor_data"), meta.toString());
        assertEquals(200, http.get("/v2/health/live").statusCode(), "health needs no key");
        assertEquals(200, http.get("/v2/health/ready").statusCode());
        HttpResponse<String> m = http.get("/v2/models/people", AUTH);
        assertEquals(200, m.statusCode(), m.body());
        JsonNode model = JSON.readTree(m.body());
        assertEquals("[\"1\"]", model.get("versions").toString());
        assertEquals("{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[1]}", model.get("inputs").get(0).toString());
        assertEquals("[{\"name\":\"boxes\",\"datatype\":\"FP32\",\"shape\":[-1,4]},{\"name\":\"scores\",\"datatype\":"
                + "\"FP32\",\"shape\":[-1]},{\"name\":\"labels\",\"datatype\":\"INT64\",\"shape\":[-1]},{\"name\":"
                + "\"masks\",\"datatype\":\"BYTES\",\"shape\":[-1]}]", model.get("outputs").toString());
        assertEquals(200, http.get("/v2/models/people/versions/1", AUTH).statusCode());
        assertEquals(404, http.get("/v2/models/people/versions/2", AUTH).statusCode());
        assertEquals(200, http.get("/v2/models/people/ready", AUTH).statusCode());
        HttpResponse<String> unknown = http.get("/v2/models/peeple", AUTH);
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().startsWith("{\"error\":\"unknown model 'peeple' (did you mean 'people'?)"),
                unknown.body());
    }

    @Test
    void base64JsonInferenceGivesTheLibraryResults() throws Exception {
        String body = "{\"id\":\"req-7\",\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[1],"
                + "\"parameters\":{\"content_type\":\"base64\"},\"data\":[\""
                + Base64.getEncoder().encodeToString(photoBytes) + "\"]}]}";
        HttpResponse<String> r = http.post("/v2/models/people/infer", body.getBytes(StandardCharsets.UTF_8), AUTH);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode out = JSON.readTree(r.body());
        assertEquals("req-7", out.get("id").asText());
        assertEquals("people", out.get("model_name").asText());
        int n = expected.instances().size();
        JsonNode boxes = output(out, "boxes");
        assertEquals("[" + n + ",4]", boxes.get("shape").toString());
        for (int i = 0; i < n; i++) {
            var b = expected.instances().get(i).box();
            assertEquals((float) b.x1(), boxes.get("data").get(4 * i).floatValue());
            assertEquals((float) b.y2(), boxes.get("data").get(4 * i + 3).floatValue());
            assertEquals((float) expected.instances().get(i).score(), output(out, "scores").get("data").get(i).floatValue());
            assertEquals(1, output(out, "labels").get("data").get(i).asLong());
            assertEquals(Rle.encode(expected.instances().get(i).mask()).toCompressedString(),
                    output(out, "masks").get("data").get(i).asText());
        }
        assertEquals(expected.width(), out.get("parameters").get("image_width").asInt());
    }

    @Test
    void binaryDataExtensionInAndOut() throws Exception {
        String header = "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[1],"
                + "\"parameters\":{\"binary_data_size\":" + (photoBytes.length + 4) + "}}],"
                + "\"outputs\":[{\"name\":\"scores\",\"parameters\":{\"binary_data\":true}},{\"name\":\"masks\"}]}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(h.length + 4 + photoBytes.length).order(ByteOrder.LITTLE_ENDIAN);
        body.put(h).putInt(photoBytes.length).put(photoBytes);
        HttpResponse<byte[]> r = http.postBytes("/v2/models/people/infer", body.array(), "Authorization", AUTH[1],
                "Inference-Header-Content-Length", Integer.toString(h.length), "Content-Type", "application/octet-stream");
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        int jsonLength = Integer.parseInt(r.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode out = JSON.readTree(new String(r.body(), 0, jsonLength, StandardCharsets.UTF_8));
        assertEquals(2, out.get("outputs").size(), "only the outputs asked for");
        JsonNode scores = output(out, "scores");
        int n = expected.instances().size();
        assertEquals(4 * n, scores.get("parameters").get("binary_data_size").asInt());
        ByteBuffer raw = ByteBuffer.wrap(r.body(), jsonLength, 4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            assertEquals((float) expected.instances().get(i).score(), raw.getFloat());
        }
        assertEquals(n, output(out, "masks").get("data").size(), "masks as JSON");
    }

    @Test
    void uint8PixelsGiveTheSameResultAsTheEncodedImage() throws Exception {
        BufferedImage img = ImageReader.read(photo);
        int w = img.getWidth(), h = img.getHeight();
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getRGB(x, y);
                rgb[i++] = (byte) (p >> 16);
                rgb[i++] = (byte) (p >> 8);
                rgb[i++] = (byte) p;
            }
        }
        byte[] header = ("{\"inputs\":[{\"name\":\"image\",\"datatype\":\"UINT8\",\"shape\":[" + h + "," + w
                + ",3],\"parameters\":{\"binary_data_size\":" + rgb.length + "}}],\"outputs\":[{\"name\":\"masks\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[header.length + rgb.length];
        System.arraycopy(header, 0, body, 0, header.length);
        System.arraycopy(rgb, 0, body, header.length, rgb.length);
        HttpResponse<String> r = http.post("/v2/models/people/infer", body, "Authorization", AUTH[1],
                "Inference-Header-Content-Length", Integer.toString(header.length));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode masks = output(JSON.readTree(r.body()), "masks").get("data");
        assertEquals(expected.instances().size(), masks.size());
        for (int i = 0; i < masks.size(); i++) {
            assertEquals(Rle.encode(expected.instances().get(i).mask()).toCompressedString(), masks.get(i).asText());
        }
        // the same pixels as nested JSON numbers (a small crop: JSON numbers are for small images)
        HttpResponse<String> tiny = http.post("/v2/models/people/infer", ("{\"inputs\":[{\"name\":\"image\","
                + "\"datatype\":\"UINT8\",\"shape\":[2,2,3],\"data\":[[[0,0,0],[255,255,255]],[[1,2,3],[4,5,6]]]}]}")
                .getBytes(StandardCharsets.UTF_8), AUTH);
        assertEquals(200, tiny.statusCode(), tiny.body());
        assertEquals(2, JSON.readTree(tiny.body()).get("parameters").get("image_width").asInt());
    }

    @Test
    void segmentEndpointAnswersWhatInferWrites() throws Exception {
        HttpResponse<String> r = http.post("/v1/segment?name=" + photo.getFileName(), photoBytes, AUTH);
        assertEquals(200, r.statusCode(), r.body());
        Path expectedFile = dir.resolve("expected.json");
        PerImageJson.write(expectedFile, 5060, expected);
        assertEquals(Files.readString(expectedFile), r.body());

        String boundary = "----peopleseg7";
        ByteArrayOutputStream mp = new ByteArrayOutputStream();
        mp.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\""
                + photo.getFileName() + "\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        mp.writeBytes(photoBytes);
        mp.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> form = http.post("/v1/segment?model=people", mp.toByteArray(), "Authorization", AUTH[1],
                "Content-Type", "multipart/form-data; boundary=" + boundary);
        assertEquals(200, form.statusCode(), form.body());
        assertEquals(r.body(), form.body(), "the upload's file name gives the same document");

        HttpResponse<byte[]> png = http.postBytes("/v1/segment?format=png", photoBytes, AUTH);
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
        BufferedImage overlay = ImageIO.read(new java.io.ByteArrayInputStream(png.body()));
        assertEquals(expected.width(), overlay.getWidth());
        assertEquals(400, http.post("/v1/segment?format=gif", photoBytes, AUTH).statusCode());
    }

    @Test
    void apiKeyGuardsEverythingButHealthAndThePage() throws Exception {
        HttpResponse<String> none = http.get("/v2/models/people");
        assertEquals(401, none.statusCode());
        assertTrue(none.body().contains("Bearer"), none.body());
        assertEquals(401, http.get("/metrics", "Authorization", "Bearer wrong").statusCode());
        assertEquals(401, http.post("/v1/segment", photoBytes).statusCode());
        assertEquals(200, http.get("/v2/health/ready").statusCode());
        assertEquals(200, http.get("/").statusCode());
    }

    @Test
    void metricsUseTritonsNames() throws Exception {
        http.post("/v1/segment", photoBytes, AUTH);
        http.post("/v2/models/people/infer", "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}"
                .getBytes(StandardCharsets.UTF_8), AUTH);
        String text = http.get("/metrics", AUTH).body();
        for (String name : new String[] {"nv_inference_request_success{model=\"people\",version=\"1\"} ",
                "nv_inference_count{model=\"people\",version=\"1\"} ", "nv_inference_exec_count{",
                "nv_inference_request_duration_us{", "nv_inference_queue_duration_us{",
                "nv_inference_compute_infer_duration_us{", "nv_inference_request_failure{",
                "peopleseg_request_duration_seconds_bucket{model=\"people\",protocol=\"segment\",le=\"+Inf\"} "}) {
            assertTrue(text.contains("\n" + name), name + " missing from\n" + text);
        }
        assertTrue(log.toString().lines().anyMatch(l -> l.matches("127\\.0\\.0\\.1 POST /v1/segment 200 \\d+ [\\d.]+ms")),
                "one access-log line per request:\n" + log);
    }

    private static JsonNode output(JsonNode response, String name) {
        for (JsonNode o : response.get("outputs")) {
            if (o.get("name").asText().equals(name)) {
                return o;
            }
        }
        throw new AssertionError("no output " + name + " in " + response);
    }
}
