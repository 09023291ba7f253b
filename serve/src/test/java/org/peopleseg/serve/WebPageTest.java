package org.peopleseg.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.result.Detections;
import org.peopleseg.models.PackagedSegmenter;
import org.peopleseg.models.Segmenters;
import org.peopleseg.runtime.session.SessionSettings;

/**
 * The web page in a real browser: headless Chromium (Debian's package, driven by playwright-core) loads the page,
 * enters the API key, lists the models, uploads a real COCO photo and draws the result. The page must have decoded
 * every mask pixel (its count equals the masks' areas), listed every instance, and fetched nothing from anywhere but
 * the server. The screenshot is kept as {@code target/test-outputs/serve-page.png}.
 */
class WebPageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void pageUploadsAPhotoAndDrawsTheMasks() throws Exception {
        NodeTools.assumeInstalled();
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        Assumptions.assumeTrue(Files.isExecutable(chromium), chromium + " not found (apt-get install chromium)");
        Path photo = TestModels.photo("000000005060.jpg");
        Path models = Files.createDirectories(dir.resolve("models"));
        Path model = TestModels.yolo(models.resolve("people.onnx"), 320, 192);
        long area = 0;
        Detections expected;
        try (PackagedSegmenter s = Segmenters.open(model, new SessionSettings(1), 0.5)) {
            expected = s.segment(ImageReader.read(photo), photo.getFileName().toString());
        }
        for (var inst : expected.instances()) {
            area += inst.mask().area();
        }
        assertTrue(area > 0, "the photo's people have masks");
        Path shot = Files.createDirectories(Path.of("target/test-outputs")).resolve("serve-page.png");
        Files.deleteIfExists(shot);
        try (InferenceServer server = Http.start(ServeOptions.defaults(models).withPorts(0, -1)
                .withConcurrency(1, 4, 1).withApiKey("page-key"), new StringWriter())) {
            NodeTools.Run run = NodeTools.run(180, "page_test.js", "http://127.0.0.1:" + server.httpPort() + "/",
                    photo.toString(), shot.toAbsolutePath().toString(), "page-key");
            assertEquals(0, run.code(), run.err());
            JsonNode r = JSON.readTree(run.out());
            assertEquals("[\"people\"]", r.get("models").toString(), r.toString());
            assertTrue(r.get("error").isNull(), r.toString());
            assertEquals(expected.instances().size(), r.get("instances").asInt(), r.toString());
            assertEquals(expected.instances().size(), r.get("rows").asInt(), r.toString());
            assertEquals(area, r.get("maskPixels").asLong(), "every mask pixel decoded from the RLE and drawn");
            assertEquals("[" + expected.width() + "," + expected.height() + "]", r.get("canvas").toString());
            assertTrue(r.get("status").asText().contains("ms round trip"), r.toString());
            assertEquals(0, r.get("foreignRequests").size(), "no request left the server: " + r.get("foreignRequests"));
        }
        assertTrue(Files.size(shot) > 10_000, "screenshot kept at " + shot.toAbsolutePath());
    }
}
