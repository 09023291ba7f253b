package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void jsonReportHasLatenciesPerStageAndMemory() throws Exception {
        Cli.Result r = Cli.run("bench", "--model", TestModel.model().toString(), "--warmup", "1", "--iterations", "3",
                "--threads", "1", "--threshold", "0.9", "--json");
        assertEquals(0, r.code(), r.all());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(3, j.get("iterations").asInt());
        assertEquals(1, j.get("threads").asInt());
        assertEquals(960, j.get("input").get("width").asInt());
        assertEquals(576, j.get("input").get("height").asInt());
        assertTrue(j.get("throughput_images_per_second").asDouble() > 0);
        for (String stage : new String[] {"preprocess", "inference", "postprocess", "total"}) {
            JsonNode s = j.get("latency_ms").get(stage);
            for (String stat : LatencyStats.NAMES) {
                assertTrue(s.has(stat), stage + " " + stat);
            }
            assertTrue(s.get("min").asDouble() <= s.get("median").asDouble());
            assertTrue(s.get("median").asDouble() <= s.get("max").asDouble());
        }
        assertTrue(j.get("latency_ms").get("inference").get("min").asDouble() > 0);
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertTrue(j.get("memory_mib").get("peak_rss").asDouble() > 0, r.out());
            assertTrue(j.get("memory_mib").get("end").get("rss").asDouble() > 0, r.out());
        }
    }

    @Test
    void textReportOnAGivenImage() throws Exception {
        Path img = TestModel.jpeg(tmp, "p.jpg", 300, 200, 9);
        Cli.Result r = Cli.run("bench", "-m", TestModel.model().toString(), "-i", img.toString(), "--warmup", "0",
                "-n", "2", "--threshold", "0.9");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("Throughput:"), r.out());
        assertTrue(r.out().contains("(300x200)"), r.out());
        assertTrue(r.out().matches("(?s).*Latency \\(ms\\)\\s+min\\s+median\\s+mean\\s+p90\\s+p95\\s+p99\\s+max.*"), r.out());
        assertTrue(r.out().contains("peak (VmHWM)"), r.out());
    }

    @Test
    void oneAugmentationPerModelComparesFlipWithThePlainRunOfTheSamePackage() throws Exception {
        Path photo = SharedFiles.shared("data/coco-person/images/000000087038.jpg");
        Path pkg = SharedFiles.yolo11Fp32("640x384", tmp.resolve("y11.onnx"));
        Cli.Result r = Cli.run("bench", "-m", pkg.toString(), "-m", pkg.toString(), "--tta", "none", "--tta", "flip",
                "-i", photo.toString(), "--warmup", "0", "-n", "2", "--threads", "2", "--threshold", "0.3", "--json");
        assertEquals(Main.OK, r.code(), r.all());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(2, j.size(), r.out());
        assertTrue(!j.get(0).get("model").get("description").asText().contains("augmentation"), r.out());
        assertTrue(j.get(1).get("model").get("description").asText().endsWith("test-time augmentation flip"),
                r.out());
        Cli.Result text = Cli.run("bench", "-m", pkg.toString(), "--tta", "flip", "-m", pkg.toString(), "--tta",
                "none", "-i", photo.toString(), "--warmup", "0", "-n", "1", "--threads", "2");
        assertEquals(Main.OK, text.code(), text.all());
        assertTrue(text.out().contains("== " + pkg + " + test-time augmentation flip\n"), text.out());
        assertTrue(text.out().contains("Side by side"), text.out());
    }

    @Test
    void augmentationsThatDoNotMatchTheModelsAreAUsageError() throws Exception {
        String m = TestModel.model().toString();
        Cli.Result r = Cli.run("bench", "-m", m, "-m", m, "-m", m, "--tta", "none", "--tta", "flip");
        assertEquals(Main.ERROR, r.code(), r.all());
        assertTrue(r.err().contains("--tta is given 2 times for 3 --model(s)"), r.err());
        Cli.Result rcnn = Cli.run("bench", "-m", m, "--tta", "flip", "-n", "1", "--warmup", "0");
        assertEquals(Main.ERROR, rcnn.code(), rcnn.all());
        assertTrue(rcnn.err().contains("yolo-seg packages only"), rcnn.err());
    }
}
