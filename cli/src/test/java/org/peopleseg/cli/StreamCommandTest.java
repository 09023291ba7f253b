package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code peopleseg stream}: the usage errors a user can make (exit 2), a bad config file, and real runs of an
 * imported YOLO11n-seg on vtest.avi (when ../shared is present): outputs, tracked people, a failing source.
 */
class StreamCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path importedModel;

    @TempDir
    Path dir;

    /** The ST YOLO11n-seg int8 TFLite imported at 320x256, once per JVM (deleted with the JVM's temp folder). */
    static synchronized Path yolo() throws IOException {
        if (importedModel == null) {
            Path tflite = SharedFiles.shared("models/ultralytics-st/yolo11n_256_quant_pc_ii_seg_coco-st.tflite");
            Path tmp = Files.createTempDirectory("peopleseg-stream-test");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> TestModel.deleteTree(tmp)));
            Path out = tmp.resolve("yolo11n-320x256.onnx");
            Cli.Result r = Cli.run("import", "--tflite", tflite.toString(), "--precision", "int8", "--input-size",
                    "320x256", "--output", out.toString());
            assertEquals(Main.OK, r.code(), r.all());
            importedModel = out;
        }
        return importedModel;
    }

    private static Path vtest() {
        return SharedFiles.shared("data/vtest/vtest.avi");
    }

    private static List<JsonNode> jsonLines(Path f) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(f)) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    private static Set<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return Set.copyOf(s.map(p -> p.getFileName().toString()).toList());
        }
    }

    // ---- usage errors: exit 2 before anything is opened ----

    @Test
    void noArgumentsIsAUsageError() {
        Cli.Result r = Cli.run("stream");
        assertEquals(Main.ERROR, r.code(), r.all());
        assertTrue(r.err().contains("--config") && r.err().contains("--model"), r.err());
    }

    @Test
    void configWithModelIsAUsageError() throws IOException {
        Path conf = Files.writeString(dir.resolve("app.yml"), "sources: [{uri: a.avi}]\nprimary-gie: {model: m.onnx}\n");
        Cli.Result r = Cli.run("stream", "--config", conf.toString(), "--model", "m.onnx");
        assertEquals(Main.ERROR, r.code(), r.all());
        assertTrue(r.err().contains("--config cannot be combined"), r.err());
    }

    @Test
    void intervalZeroIsAUsageError() {
        Cli.Result r = Cli.run("stream", "--model", "m.onnx", "--source", "a.avi", "--output",
                dir.resolve("out").toString(), "--interval", "0");
        assertEquals(Main.ERROR, r.code(), r.all());
        assertTrue(r.err().contains("interval"), r.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing created for a bad command line");
    }

    @Test
    void intervalWithoutTrackerIsAUsageError() {
        Cli.Result r = Cli.run("stream", "--model", "m.onnx", "--source", "a.avi", "--output",
                dir.resolve("out").toString(), "--no-tracker", "--interval", "2");
        assertEquals(Main.ERROR, r.code(), r.all());
        assertTrue(r.err().contains("interval 2") && r.err().contains("tracker"), r.err());
    }

    @Test
    void trackerOptionsWithoutTrackerAreAUsageError() {
        Cli.Result r = Cli.run("stream", "--model", "m.onnx", "--source", "a.avi", "--output",
                dir.resolve("out").toString(), "--no-tracker", "--max-age", "10");
        assertEquals(Main.ERROR, r.code(), r.all());
        assertTrue(r.err().contains("--max-age"), r.err());
    }

    @Test
    void badConfigFileIsExitTwoNamingTheFile() throws IOException {
        Path conf = Files.writeString(dir.resolve("broken.yml"), """
                sources:
                  - uri: a.avi
                primary-gie:
                  model: m.onnx
                  intervall: 2
                """);
        Cli.Result r = Cli.run("stream", "--config", conf.toString());
        assertEquals(Main.ERROR, r.code(), r.all());
        assertTrue(r.err().contains("broken.yml") && r.err().contains("intervall"), r.err());
        Cli.Result missing = Cli.run("stream", "--config", dir.resolve("nope.yml").toString());
        assertEquals(Main.ERROR, missing.code(), missing.all());
        assertTrue(missing.err().contains("nope.yml"), missing.err());
    }

    @Test
    void missingModelIsExitTwo() {
        Cli.Result r = Cli.run("stream", "--model", dir.resolve("none.onnx").toString(), "--source", "a.avi",
                "--output", dir.resolve("out").toString());
        assertEquals(Main.ERROR, r.code(), r.all());
        assertTrue(r.err().contains("none.onnx"), r.err());
    }

    // ---- real model runs (need ../shared) ----

    @Test
    void realModelTracksPeopleInVtest() throws Exception {
        Path vtest = vtest();
        Path model = yolo();
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("stream", "--model", model.toString(), "--source", vtest.toString(), "--output",
                out.toString(), "--max-frames", "30", "--threads", "2", "--perf-interval", "0");
        assertEquals(Main.OK, r.code(), r.all());
        assertEquals(Set.of("vtest.mp4", "vtest.jsonl", "vtest.mot.txt", "summary.json"), fileNames(out));
        assertTrue(r.out().contains("vtest") && r.out().contains("ok"), r.out());
        assertTrue(r.err().contains("Streaming 1 source(s)"), r.err());

        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals("peopleseg.stream-summary/1", summary.get("schema").asText());
        JsonNode src = summary.get("sources").get(0);
        assertEquals(30, src.get("frames_written").asInt());
        assertEquals(30, src.get("frames_inferred").asInt());
        assertEquals(0, src.get("frames_dropped").asInt());
        assertTrue(src.get("error").isNull(), src.toString());

        List<JsonNode> lines = jsonLines(out.resolve("vtest.jsonl"));
        assertEquals(30, lines.size());
        long tracked = lines.stream().flatMap(l -> {
            List<JsonNode> people = new ArrayList<>();
            l.get("people").forEach(people::add);
            return people.stream();
        }).filter(p -> p.has("track_id")).map(p -> p.get("track_id").asLong()).distinct().count();
        assertTrue(tracked >= 1, "vtest has people walking; none tracked: " + lines.get(lines.size() - 1));
        assertTrue(src.get("tracks").asInt() >= 1);
        List<String> mot = Files.readAllLines(out.resolve("vtest.mot.txt"));
        assertFalse(mot.isEmpty());
        assertTrue(mot.stream().allMatch(l -> l.split(",").length == 10), mot.get(0));
        assertTrue(Files.size(out.resolve("vtest.mp4")) > 10_000);
    }

    @Test
    void flipAugmentationStreamsAndSaysSo() throws Exception {
        Path out = dir.resolve("out-flip");
        Cli.Result r = Cli.run("stream", "--model", yolo().toString(), "--source", vtest().toString(), "--output",
                out.toString(), "--max-frames", "5", "--threads", "2", "--perf-interval", "0", "--no-video",
                "--tta", "flip");
        assertEquals(Main.OK, r.code(), r.all());
        assertTrue(r.err().contains("test-time augmentation flip"), r.err());
        assertEquals(5, jsonLines(out.resolve("vtest.jsonl")).size());
        Cli.Result rcnn = Cli.run("stream", "--model", TestModel.model().toString(), "--source", vtest().toString(),
                "--output", dir.resolve("out-rcnn").toString(), "--max-frames", "1", "--tta", "flip");
        assertEquals(Main.ERROR, rcnn.code(), rcnn.all());
        assertTrue(rcnn.err().contains("yolo-seg packages only"), rcnn.err());
    }

    @Test
    void aMissingSourceIsExitOneAndTheOtherStillWritten() throws Exception {
        Path vtest = vtest();
        Path model = yolo();
        Path out = dir.resolve("out");
        Path missing = dir.resolve("missing.avi");
        Cli.Result r = Cli.run("stream", "--model", model.toString(), "--source", missing.toString(), "--source",
                vtest.toString(), "--output", out.toString(), "--max-frames", "10", "--threads", "2", "--no-video",
                "--perf-interval", "0");
        assertEquals(Main.INPUTS_FAILED, r.code(), r.all());
        assertTrue(r.all().contains("missing.avi") && r.all().contains("no such file"), r.all());
        assertTrue(r.out().contains("FAILED"), r.out());
        assertEquals(Set.of("vtest.jsonl", "vtest.mot.txt", "summary.json"), fileNames(out));
        assertEquals(10, Files.readAllLines(out.resolve("vtest.jsonl")).size());
        JsonNode sources = JSON.readTree(out.resolve("summary.json").toFile()).get("sources");
        assertEquals("missing", sources.get(0).get("name").asText());
        assertTrue(sources.get(0).get("error").asText().contains("no such file"));
        assertEquals(10, sources.get(1).get("frames_written").asInt());
    }

    @Test
    void configFileRunsTheSameWay() throws Exception {
        Path vtest = vtest();
        Path model = yolo();
        Path conf = Files.writeString(dir.resolve("app.yml"), """
                application:
                  output-dir: results
                  perf-interval-s: 0
                sources:
                  - uri: %s
                    name: street
                streammux:
                  max-frames: 6
                primary-gie:
                  model: %s
                  interval: 2
                  threads: 2
                sinks:
                  video: {enable: false}
                """.formatted(vtest, model));
        Cli.Result r = Cli.run("stream", "--config", conf.toString());
        assertEquals(Main.OK, r.code(), r.all());
        Path out = dir.resolve("results");
        assertEquals(Set.of("street.jsonl", "street.mot.txt", "summary.json"), fileNames(out));
        JsonNode src = JSON.readTree(out.resolve("summary.json").toFile()).get("sources").get(0);
        assertEquals(6, src.get("frames_written").asInt());
        assertEquals(3, src.get("frames_inferred").asInt(), "interval 2");
        assertNotNull(src.get("latency_ms").get("p95"));
    }
}
