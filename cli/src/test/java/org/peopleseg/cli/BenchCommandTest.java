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
}
