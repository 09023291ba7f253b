package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code peopleseg serve} as a user runs it — its own JVM, stopped by SIGTERM — answers the same bytes as
 * {@code peopleseg infer} on the same image: {@code /v1/segment} equals infer's {@code detections/NAME.json}, and
 * the v2 masks equal the RLE strings in infer's {@code results.json}.
 */
class ServeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void serveAnswersWhatInferWrites() throws Exception {
        Path tflite = SharedFiles.shared("models/ultralytics-st/yolo11n_256_quant_pc_ii_seg_coco-st.tflite");
        Path photo = SharedFiles.shared("data/coco-person/images/000000005060.jpg");
        Path models = Files.createDirectories(dir.resolve("models"));
        Cli.Result imp = Cli.run("import", "--tflite", tflite.toString(), "--input-size", "320x192", "--licence",
                "AGPL-3.0", "--output", models.resolve("people.onnx").toString());
        assertEquals(Main.OK, imp.code(), imp.all());
        Path out = dir.resolve("infer");
        Cli.Result inf = Cli.run("infer", "--model", models.resolve("people.onnx").toString(), "--input",
                photo.toString(), "--output", out.toString(), "--no-overlays", "--threads", "1");
        assertEquals(Main.OK, inf.code(), inf.all());

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "org.peopleseg.cli.Main", "serve", "--models", models.toString(), "--port", "0", "--grpc-port", "-1",
                "--threads", "1").redirectError(dir.resolve("serve.err").toFile()).start();
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String first = stdout.readLine();
            assertTrue(first != null, "serve printed nothing: " + Files.readString(dir.resolve("serve.err")));
            Matcher m = Pattern.compile("Serving 1 model \\[people] on http://127\\.0\\.0\\.1:(\\d+)/").matcher(first);
            assertTrue(m.find(), first);
            String base = "http://127.0.0.1:" + m.group(1);
            String second = stdout.readLine(); // --threads 1 alone: as many 1-thread instances as cores, queue 64
            int cores = Runtime.getRuntime().availableProcessors();
            assertTrue(second != null && second.startsWith("Each model: " + cores + " instance" + (cores == 1 ? "" : "s")
                    + " x 1 ONNX Runtime thread (automatic instances: ") && second.contains(", queue 64;"), second);
            HttpClient client = HttpClient.newHttpClient();
            byte[] image = Files.readAllBytes(photo);
            HttpResponse<String> seg = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/segment?name="
                    + photo.getFileName())).timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, seg.statusCode(), seg.body());
            assertEquals(Files.readString(out.resolve("detections/000000005060.json")), seg.body(),
                    "the same bytes as infer's per-image JSON");

            String body = "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[1],\"parameters\":"
                    + "{\"content_type\":\"base64\"},\"data\":[\"" + Base64.getEncoder().encodeToString(image) + "\"]}]}";
            HttpResponse<String> v2 = client.send(HttpRequest.newBuilder(URI.create(base + "/v2/models/people/infer"))
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, v2.statusCode(), v2.body());
            JsonNode results = JSON.readTree(Files.readString(out.resolve("results.json")));
            JsonNode masks = null;
            for (JsonNode o : JSON.readTree(v2.body()).get("outputs")) {
                if (o.get("name").asText().equals("masks")) {
                    masks = o.get("data");
                }
            }
            assertTrue(results.size() > 0 && masks != null && masks.size() == results.size(), v2.body());
            for (int i = 0; i < results.size(); i++) {
                assertEquals(results.get(i).get("segmentation").get("counts").asText(), masks.get(i).asText());
            }
        } finally {
            server.destroy(); // SIGTERM: the shutdown hook closes the server
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "serve did not stop on SIGTERM");
        }
        List<String> log = Files.readAllLines(dir.resolve("serve.err"));
        assertTrue(log.stream().anyMatch(l -> l.matches("127\\.0\\.0\\.1 POST /v1/segment 200 \\d+ [\\d.]+ms")), log.toString());
    }

    @Test
    void badOptionsAreExitTwo() {
        Cli.Result missing = Cli.run("serve", "--models", dir.resolve("nothere").toString(), "--port", "0",
                "--grpc-port", "-1");
        assertEquals(Main.ERROR, missing.code(), missing.all());
        assertTrue(missing.err().contains("no such model repository directory"), missing.err());
        Cli.Result zero = Cli.run("serve", "--models", dir.toString(), "--instances", "0");
        assertEquals(Main.ERROR, zero.code(), zero.all());
        Cli.Result help = Cli.run("serve", "--help");
        assertEquals(Main.OK, help.code());
        assertTrue(help.out().contains("/v2/models/NAME/infer"), help.out());
    }
}
