package org.peopleseg.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.cli.Main;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.models.tflite.TfliteConverter;
import org.peopleseg.models.yolo.YoloSegPackage;

/**
 * The Spark job in local[2] on real COCO photos with a real pretrained model (YOLO11n-seg int8, 320x320 for speed),
 * against {@code peopleseg infer} and {@code peopleseg evaluate} run in-process on the same images: results.json
 * byte-identical (every RLE string, score and box), the distributed evaluation's 12 stats equal, a corrupt image a
 * row with its error, a missing model one clear line before any task runs.
 */
class SparkInferJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVAL_IMAGES = 16;

    @TempDir
    static Path dir;
    static Path model;
    static Path annotations;
    static Path images;

    @BeforeAll
    static void importModel() throws Exception {
        Path tflite = SharedDir.require("models/ultralytics-st/yolo11n_256_quant_pc_ii_seg_coco-st.tflite");
        annotations = SharedDir.require("data/coco-person/annotations.json");
        images = SharedDir.require("data/coco-person/images");
        model = dir.resolve("yolo11n-int8-320.onnx");
        YoloSegPackage.importTflite(tflite, new YoloSegPackage.ImportOptions(320, 320,
                TfliteConverter.Precision.INT8, List.of("person"), "AGPL-3.0"), model);
    }

    /** The first n images of the ground truth, linked into a fresh folder (never copied into the repository). */
    private static Path firstImages(String name, int n) throws Exception {
        Path in = Files.createDirectories(dir.resolve(name));
        CocoDataset gt = CocoDataset.read(annotations);
        for (int i = 0; i < n; i++) {
            String f = gt.images().get(i).fileName();
            Files.createSymbolicLink(in.resolve(f), images.resolve(f));
        }
        return in;
    }

    private static int spark(StringWriter out, StringWriter err, String... args) {
        List<String> all = new ArrayList<>(List.of("--master", "local[2]"));
        all.addAll(List.of(args));
        return SparkMain.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
    }

    private static int cli(String... args) {
        StringWriter out = new StringWriter();
        return Main.execute(new PrintWriter(out, true), new PrintWriter(out, true), args);
    }

    @Test
    void resultsEqualInferAndACorruptImageIsARowWithItsError() throws Exception {
        Path in = firstImages("infer-in", 6);
        byte[] photo = Files.readAllBytes(images.resolve("000000568290.jpg"));
        Files.write(in.resolve("truncated.jpg"), java.util.Arrays.copyOf(photo, 5000));

        StringWriter out = new StringWriter(), err = new StringWriter();
        Path parquet = dir.resolve("infer.parquet");
        Path sparkResults = dir.resolve("spark-results.json");
        int rc = spark(out, err, "--model", model.toString(), "--input", in.toString(), "--output",
                parquet.toString(), "--coco-results", sparkResults.toString());
        assertEquals(1, rc, out + "\n" + err); // one input failed, the rest processed
        assertTrue(out.toString().contains("truncated.jpg: truncated or corrupt image"), out.toString());

        assertEquals(1, cli("infer", "--model", model.toString(), "--input", in.toString(), "--output",
                dir.resolve("infer-out").toString(), "--no-overlays", "--threads", "1"));
        byte[] expected = Files.readAllBytes(dir.resolve("infer-out/results.json"));
        assertTrue(new String(expected).contains("\"counts\""), "the model should find people with masks");
        assertArrayEquals(expected, Files.readAllBytes(sparkResults), "results.json differs from peopleseg infer's");

        SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            List<Row> rows = spark.read().parquet(parquet.toString()).orderBy("path").collectAsList();
            assertEquals(7, rows.size());
            Row bad = rows.stream().filter(r -> r.getString(0).endsWith("truncated.jpg")).findFirst().orElseThrow();
            assertTrue(bad.getString(bad.fieldIndex("error")).contains("truncated or corrupt image"));
            assertTrue(bad.getList(bad.fieldIndex("instances")).isEmpty());
            Row good = rows.get(0);
            assertTrue(good.isNullAt(good.fieldIndex("error")));
            assertEquals(ResultRows.SCHEMA.fieldNames().length, good.schema().fieldNames().length);
        } finally {
            spark.stop();
        }
    }

    @Test
    void distributedEvaluationEqualsPeoplesegEvaluate() throws Exception {
        Path in = firstImages("eval-in", EVAL_IMAGES);
        Path metrics = dir.resolve("spark-metrics.json");
        StringWriter out = new StringWriter(), err = new StringWriter();
        // evaluate keeps detections from --min-score 0.05: the job keeps the same
        int rc = spark(out, err, "--model", model.toString(), "--input", in.toString(), "--output",
                dir.resolve("eval.parquet").toString(), "--evaluate", annotations.toString(), "--metrics",
                metrics.toString(), "--threshold", "0.05");
        assertEquals(0, rc, out + "\n" + err);

        assertEquals(0, cli("evaluate", "--annotations", annotations.toString(), "--images", images.toString(),
                "--model", model.toString(), "--limit", String.valueOf(EVAL_IMAGES), "--no-report", "--threads",
                "1", "--output", dir.resolve("evaluate-out").toString()));
        JsonNode want = JSON.readTree(dir.resolve("evaluate-out/metrics.json").toFile());
        JsonNode got = JSON.readTree(metrics.toFile());
        assertEquals(EVAL_IMAGES, got.get("images").asInt());
        for (String type : List.of("bbox", "segm")) {
            assertEquals(want.get(type).get("stats"), got.get(type).get("stats"), type + " stats");
            assertTrue(got.get(type).get("stats").get(1).asDouble() > 0.3, type + " AP50 of a real model");
        }
    }

    @Test
    void aMissingModelFailsAtStartWithOneLine() throws Exception {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int rc = spark(out, err, "--model", dir.resolve("nope.onnx").toString(), "--input",
                images.toString(), "--output", dir.resolve("never.parquet").toString());
        assertEquals(2, rc);
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().contains("nope.onnx"), err.toString());
        assertTrue(!Files.exists(dir.resolve("never.parquet")));
    }
}
