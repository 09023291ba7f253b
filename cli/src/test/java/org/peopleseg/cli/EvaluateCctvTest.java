package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate} on the box-only CCTV set (../shared/data/cctv-1080p): detections made from the ground truth with
 * jitter, misses and false detections. Only bbox is evaluated and the report shows the real frames.
 */
class EvaluateCctvTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Ground-truth boxes jittered (5% of their size), 10% dropped, one false detection every other image. */
    static ArrayNode jitteredResults(JsonNode gt, long seed) {
        Random rnd = new Random(seed);
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode a : gt.get("annotations")) {
            if (rnd.nextDouble() < 0.10) {
                continue;
            }
            JsonNode b = a.get("bbox");
            double w = b.get(2).asDouble(), h = b.get(3).asDouble();
            ObjectNode d = out.addObject();
            d.put("image_id", a.get("image_id").asLong());
            d.put("category_id", a.get("category_id").asInt());
            ArrayNode box = d.putArray("bbox");
            box.add(b.get(0).asDouble() + rnd.nextGaussian() * 0.05 * w);
            box.add(b.get(1).asDouble() + rnd.nextGaussian() * 0.05 * h);
            box.add(w * (1 + rnd.nextGaussian() * 0.05));
            box.add(h * (1 + rnd.nextGaussian() * 0.05));
            d.put("score", Math.round((0.55 + 0.45 * rnd.nextDouble()) * 1e4) / 1e4);
        }
        for (JsonNode im : gt.get("images")) {
            if (rnd.nextBoolean()) {
                ObjectNode d = out.addObject();
                d.put("image_id", im.get("id").asLong());
                d.put("category_id", 1);
                ArrayNode box = d.putArray("bbox");
                box.add(rnd.nextDouble() * 1700).add(rnd.nextDouble() * 800).add(80 + rnd.nextDouble() * 100)
                        .add(150 + rnd.nextDouble() * 100);
                d.put("score", Math.round((0.3 + 0.5 * rnd.nextDouble()) * 1e4) / 1e4);
            }
        }
        return out;
    }

    @Test
    void boxOnlyGroundTruthEvaluatesBboxWithPictures(@TempDir Path dir) throws IOException {
        Path data = SharedFiles.shared("data/cctv-1080p");
        Path gtFile = data.resolve("annotations.json");
        JsonNode gt = JSON.readTree(gtFile.toFile());
        Path results = dir.resolve("results.json");
        JSON.writeValue(results.toFile(), jitteredResults(gt, 7));

        Path out = dir.resolve("out");
        EvaluateCommandTest.Run run = EvaluateCommandTest.evaluate("-a", gtFile.toString(), "-r", results.toString(),
                "-i", data.resolve("images").toString(), "-o", out.toString(), "--gallery", "4");
        assertEquals(0, run.code(), run.err());
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        assertFalse(m.has("segm"), "box-only ground truth: no mask evaluation");
        assertEquals(22, m.get("images").asInt());
        double ap50 = m.get("bbox").get("stats").get(1).asDouble();
        assertTrue(ap50 > 0.6 && ap50 < 1, "AP50 " + ap50);
        assertTrue(m.get("bbox").get("kpi").get("fn").asInt() > 0);
        String html = Files.readString(out.resolve("report.html"));
        assertFalse(html.contains("masks (segm)"));
        assertFalse(html.contains("not found:"), "every gallery picture is on disk");
        assertEquals(8, html.split("src=\"data:image/jpeg;base64,", -1).length - 1);
        assertFalse(run.out().contains("segm"), run.out());
    }
}
