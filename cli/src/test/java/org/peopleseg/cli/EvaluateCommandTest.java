package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code peopleseg evaluate --results}: outputs, errors, floors and --limit. */
class EvaluateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Two 100x80 images with one person each (polygon masks); licences as in COCO. */
    static final String GT = """
            {"licenses": [{"id": 4, "name": "Attribution License", "url": "http://creativecommons.org/licenses/by/2.0/"}],
             "categories": [{"id": 1, "name": "person"}],
             "images": [
               {"id": 1, "file_name": "a.jpg", "width": 100, "height": 80, "camera": "door"},
               {"id": 2, "file_name": "b.jpg", "width": 100, "height": 80, "license": 4,
                "flickr_url": "http://farm1.staticflickr.com/b.jpg", "camera": "hall"}],
             "annotations": [
               {"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 10, 30, 60], "area": 1800, "iscrowd": 0,
                "segmentation": [[10, 10, 40, 10, 40, 70, 10, 70]]},
               {"id": 2, "image_id": 2, "category_id": 1, "bbox": [50, 10, 30, 60], "area": 1800, "iscrowd": 0,
                "segmentation": [[50, 10, 80, 10, 80, 70, 50, 70]]}]}
            """;

    /** Image 1 found exactly; image 2 missed (a false detection elsewhere). */
    static final String RESULTS = """
            [{"image_id": 1, "category_id": 1, "bbox": [10, 10, 30, 60], "score": 0.9,
              "segmentation": [[10, 10, 40, 10, 40, 70, 10, 70]]},
             {"image_id": 2, "category_id": 1, "bbox": [0, 0, 20, 20], "score": 0.8,
              "segmentation": [[0, 0, 20, 0, 20, 20, 0, 20]]}]
            """;

    record Run(int code, String out, String err) {
    }

    static Run evaluate(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        if (!cl.getSubcommands().containsKey("evaluate")) {
            // until Main lists it; picocli hands settings to the subcommands present when they are set
            cl.addSubcommand("evaluate", new EvaluateCommand());
            cl.setOut(cl.getOut()).setErr(cl.getErr()).setCaseInsensitiveEnumValuesAllowed(true)
                    .setExitCodeExceptionMapper(cl.getExitCodeExceptionMapper())
                    .setParameterExceptionHandler(cl.getParameterExceptionHandler())
                    .setExecutionExceptionHandler(cl.getExecutionExceptionHandler());
        }
        String[] full = new String[args.length + 1];
        full[0] = "evaluate";
        System.arraycopy(args, 0, full, 1, args.length);
        int code = cl.execute(full);
        return new Run(code, out.toString(), err.toString());
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void reproducesPycocotoolsOnTheDevFixture(@TempDir Path dir) throws IOException {
        Path fixture = SharedFiles.shared("fixtures/coco-eval/dev");
        JsonNode expected = JSON.readTree(fixture.resolve("expected.json").toFile());
        for (String results : new String[] {"results_good.json", "results_poor.json"}) {
            Path out = dir.resolve(results);
            Run run = evaluate("--annotations", fixture.resolve("gt.json").toString(), "--results",
                    fixture.resolve(results).toString(), "--output", out.toString());
            assertEquals(0, run.code(), run.err());
            JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
            for (String type : new String[] {"bbox", "segm"}) {
                JsonNode want = expected.get("results").get(results).get(type).get("stats");
                JsonNode got = metrics.get(type).get("stats");
                assertEquals(12, got.size());
                for (int i = 0; i < 12; i++) {
                    assertEquals(want.get(i).asDouble(), got.get(i).asDouble(), 1e-12, results + " " + type + " " + i);
                }
            }
            assertEquals(781, metrics.get("images").asInt());
            assertTrue(Files.size(out.resolve("report.html")) > 10_000);
            assertFalse(Files.exists(out.resolve("results.json")), "results.json is only written for a model run");
            assertTrue(run.out().contains("COCO         AP   AP50   AP75  AR@100"), run.out());
            assertTrue(run.out().contains(String.format(java.util.Locale.ROOT, "%.3f",
                    expected.get("results").get(results).get("segm").get("stats").get(0).asDouble())), run.out());
        }
    }

    @Test
    void writesMetricsReportAndSummary(@TempDir Path dir) throws IOException {
        Path gt = write(dir, "gt.json", GT);
        Path res = write(dir, "res.json", RESULTS);
        Run run = evaluate("-a", gt.toString(), "-r", res.toString(), "-o", dir.resolve("out").toString(),
                "--group-by", "camera", "--untrained", "--model-description", "demo weights");
        assertEquals(0, run.code(), run.err());
        JsonNode m = JSON.readTree(dir.resolve("out/metrics.json").toFile());
        assertEquals("peopleseg.metrics/1", m.get("schema").asText());
        assertEquals(1, m.get("segm").get("kpi").get("tp").asInt());
        assertEquals(1, m.get("segm").get("kpi").get("fp").asInt());
        assertEquals(1, m.get("segm").get("kpi").get("fn").asInt());
        assertEquals(2, m.get("groups").size());
        String html = Files.readString(dir.resolve("out/report.html"));
        assertTrue(html.contains("untrained-banner"));
        // the gallery shows image 2 (a miss and a false detection) with its licence and source
        assertTrue(html.contains("http://farm1.staticflickr.com/b.jpg"));
        assertTrue(html.contains("Attribution License"));
        assertTrue(run.out().contains("NOT the product's accuracy"), run.out());
        assertTrue(run.out().contains("Per camera (segm)"), run.out());
        assertTrue(run.out().contains("metrics.json"), run.out());
    }

    @Test
    void unknownImageIdsAreAnErrorNamingThem(@TempDir Path dir) throws IOException {
        Path gt = write(dir, "gt.json", GT);
        Path res = write(dir, "res.json", RESULTS.replace("\"image_id\": 2", "\"image_id\": 424242"));
        Run run = evaluate("-a", gt.toString(), "-r", res.toString(), "-o", dir.resolve("out").toString());
        assertEquals(Main.ERROR, run.code());
        assertTrue(run.err().contains("424242"), run.err());
        assertTrue(run.err().contains("absent from the ground truth"), run.err());
        assertFalse(Files.exists(dir.resolve("out/metrics.json")));
    }

    @Test
    void floorsFailWithExitCode3(@TempDir Path dir) throws IOException {
        Path gt = write(dir, "gt.json", GT);
        Path res = write(dir, "res.json", RESULTS);
        String out = dir.resolve("out").toString();
        // segm AP here is 51/101 (one of two people found, perfectly: precision 1 up to recall 0.5)
        Run below = evaluate("-a", gt.toString(), "-r", res.toString(), "-o", out, "--min-ap", "0.6", "--no-report");
        assertEquals(EvaluateCommand.BELOW_FLOOR, below.code());
        assertTrue(below.err().contains("segm AP@[.50:.95] = 0.5050 is below --min-ap 0.6000"), below.err());
        assertTrue(Files.exists(dir.resolve("out/metrics.json")), "the metrics are written before the check");
        assertFalse(Files.exists(dir.resolve("out/report.html")));

        Run recall = evaluate("-a", gt.toString(), "-r", res.toString(), "-o", out, "--min-recall", "0.9",
                "--floor-type", "bbox", "--no-report");
        assertEquals(EvaluateCommand.BELOW_FLOOR, recall.code());
        assertTrue(recall.err().contains("bbox recall at score >= 0.50 = 0.5000 is below --min-recall"), recall.err());

        Run met = evaluate("-a", gt.toString(), "-r", res.toString(), "-o", out, "--min-ap", "0.4", "--min-ap50",
                "0.5", "--min-recall", "0.5", "--no-report");
        assertEquals(0, met.code(), met.err());
    }

    @Test
    void floorOnTheDevFixture(@TempDir Path dir) throws IOException {
        Path fixture = SharedFiles.shared("fixtures/coco-eval/dev");
        Run run = evaluate("-a", fixture.resolve("gt.json").toString(), "-r",
                fixture.resolve("results_good.json").toString(), "-o", dir.toString(), "--no-report",
                "--min-ap", "0.7");
        assertEquals(EvaluateCommand.BELOW_FLOOR, run.code());
        assertTrue(run.err().contains("segm AP@[.50:.95] = 0.6264 is below --min-ap 0.7000"), run.err());
    }

    @Test
    void limitCutsTheGroundTruth(@TempDir Path dir) throws IOException {
        Path gt = write(dir, "gt.json", GT);
        Path res = write(dir, "res.json", RESULTS);
        Run run = evaluate("-a", gt.toString(), "-r", res.toString(), "-o", dir.resolve("out").toString(),
                "--limit", "1");
        assertEquals(0, run.code(), run.err());
        JsonNode m = JSON.readTree(dir.resolve("out/metrics.json").toFile());
        assertEquals(1, m.get("images").asInt());
        assertEquals(1, m.get("detections").asInt());
        assertEquals(0, m.get("segm").get("kpi").get("fn").asInt(), "image 2 is not run, so not missed");
        assertEquals(1.0, m.get("segm").get("kpi").get("recall").asDouble(), 0.0);
        assertTrue(Files.readString(dir.resolve("out/report.html")).contains("--limit 1"));
    }

    @Test
    void boxOnlyGroundTruthGivesBboxOnly(@TempDir Path dir) throws IOException {
        String boxes = GT.replaceAll(",\\s*\"segmentation\": \\[\\[[0-9, ]+\\]\\]", "");
        Path gt = write(dir, "gt.json", boxes);
        Path res = write(dir, "res.json", RESULTS);
        Run run = evaluate("-a", gt.toString(), "-r", res.toString(), "-o", dir.resolve("out").toString());
        assertEquals(0, run.code(), run.err());
        JsonNode m = JSON.readTree(dir.resolve("out/metrics.json").toFile());
        assertTrue(m.has("bbox"));
        assertFalse(m.has("segm"));
        assertFalse(run.out().contains("segm"), run.out());
        Run floor = evaluate("-a", gt.toString(), "-r", res.toString(), "-o", dir.resolve("out").toString(),
                "--floor-type", "segm", "--min-ap", "0.1", "--no-report");
        assertEquals(Main.ERROR, floor.code());
        assertTrue(floor.err().contains("masks were not evaluated"), floor.err());
    }

    @Test
    void usageErrors(@TempDir Path dir) throws IOException {
        Path gt = write(dir, "gt.json", GT);
        Path res = write(dir, "res.json", RESULTS);
        String out = dir.resolve("out").toString();
        Run neither = evaluate("-a", gt.toString(), "-o", out);
        assertEquals(Main.ERROR, neither.code());
        assertTrue(neither.err().contains("give either --results"), neither.err());
        Run both = evaluate("-a", gt.toString(), "-o", out, "-r", res.toString(), "-m", "x.onnx");
        assertEquals(Main.ERROR, both.code());
        assertTrue(both.err().contains("exclude each other"), both.err());
        Run noImages = evaluate("-a", gt.toString(), "-o", out, "-m", "x.onnx");
        assertEquals(Main.ERROR, noImages.code());
        assertTrue(noImages.err().contains("--model needs --images"), noImages.err());
        Run badFloor = evaluate("-a", gt.toString(), "-o", out, "-r", res.toString(), "--min-ap", "30");
        assertEquals(Main.ERROR, badFloor.code());
        assertTrue(badFloor.err().contains("--min-ap must be between 0 and 1"), badFloor.err());
        Run missingGt = evaluate("-a", dir.resolve("nope.json").toString(), "-o", out, "-r", res.toString());
        assertEquals(Main.ERROR, missingGt.code());
        assertTrue(missingGt.err().contains("nope.json"), missingGt.err());
        Run missingModel = evaluate("-a", gt.toString(), "-o", out, "-m", dir.resolve("none.onnx").toString(),
                "-i", dir.toString());
        assertEquals(Main.ERROR, missingModel.code());
        assertTrue(missingModel.err().contains("none.onnx"), missingModel.err());
        Run ttaOnResults = evaluate("-a", gt.toString(), "-o", out, "-r", res.toString(), "--tta", "flip");
        assertEquals(Main.ERROR, ttaOnResults.code());
        assertTrue(ttaOnResults.err().contains("--tta is for --model"), ttaOnResults.err());
        Run unknownTta = evaluate("-a", gt.toString(), "-o", out, "-r", res.toString(), "--tta", "rotate");
        assertEquals(Main.ERROR, unknownTta.code());
        assertTrue(unknownTta.err().contains("rotate") && unknownTta.err().contains("FLIP"), unknownTta.err());
    }

    @Test
    void flipAugmentationOfAMaskRcnnPackageIsRefusedByName(@TempDir Path dir) throws IOException {
        Path gt = write(dir, "gt.json", GT);
        TestModel.jpeg(dir, "a.jpg", 100, 80, 1);
        TestModel.jpeg(dir, "b.jpg", 100, 80, 2);
        Run r = evaluate("-a", gt.toString(), "-o", dir.resolve("out").toString(), "-m", TestModel.model().toString(),
                "-i", dir.toString(), "--tta", "flip");
        assertEquals(Main.ERROR, r.code(), r.err());
        assertTrue(r.err().contains("small.onnx") && r.err().contains("yolo-seg packages only")
                && r.err().contains("maskrcnn"), r.err());
        assertFalse(Files.exists(dir.resolve("out/metrics.json")));
    }
}
