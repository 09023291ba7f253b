package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCommandTest {
    @TempDir
    Path dir;

    private static Path model(String name) {
        String env = System.getenv("PEOPLESEG_SHARED");
        Path shared = env != null && !env.isBlank() ? Path.of(env) : Path.of("../../shared");
        Path f = shared.resolve("models/ultralytics-st/" + name);
        Assumptions.assumeTrue(Files.isRegularFile(f), "shared model not found: " + f + " (set PEOPLESEG_SHARED)");
        return f;
    }

    @Test
    void importsThenListsThePackage() {
        Path tflite = model("yolov8n_256_quant_pc_ii_seg_coco-st.tflite");
        Path out = dir.resolve("people.onnx");
        Cli.Result r = Cli.run("import", "--tflite", tflite.toString(), "--input-size", "320x192", "--licence",
                "AGPL-3.0", "--output", out.toString());
        assertEquals(Main.OK, r.code(), r.all());
        assertTrue(r.out().contains("yolo-seg int8, input 320x192"), r.out());
        assertTrue(r.out().contains("classes person"), r.out());
        Files.isRegularFile(out);
        Cli.Result list = Cli.run("models", dir.toString());
        assertEquals(Main.OK, list.code(), list.all());
        assertTrue(list.out().contains("architecture yolo-seg, input 320x192 (fit_pad), int8"), list.out());
        assertTrue(list.out().contains("licence: AGPL-3.0 (copyleft: packages, fine-tuned and quantised models made "
                + "from it stay AGPL-3.0)"), list.out());
        assertTrue(list.out().contains("sha256="), list.out());
        // the derived package's licence is announced once, naming the package
        assertEquals(1, r.out().split("LICENCE: ", -1).length - 1, r.out());
        assertTrue(r.out().contains("LICENCE: " + out + " is derived from AGPL-3.0 weights and stays AGPL-3.0"),
                r.out());
    }

    @Test
    void withoutLicenceOptionTheFilesOwnLicenceIsRecordedAndAnnounced() {
        Path tflite = model("yolov8n_256_quant_pc_ii_seg_coco-st.tflite");
        Path out = dir.resolve("unlabelled.onnx");
        Cli.Result r = Cli.run("import", "--tflite", tflite.toString(), "--input-size", "320x192", "--output",
                out.toString());
        assertEquals(Main.OK, r.code(), r.all());
        assertTrue(r.out().contains("LICENCE: " + out + " is derived from AGPL-3.0 weights"), r.out());
        Cli.Result list = Cli.run("models", out.toString());
        assertTrue(list.out().contains("licence: AGPL-3.0 License (https://ultralytics.com/license) (stated in "
                + tflite.getFileName() + ") (copyleft"), list.out());
    }

    @Test
    void tfliteArithmeticBuildsAnExactPackageThatRuns() throws Exception {
        Path tflite = model("yolo11n_256_quant_pc_ii_seg_coco-st.tflite");
        Path image = tflite.getParent().getParent().getParent().resolve("data/coco-person/images/000000081394.jpg");
        Assumptions.assumeTrue(Files.isRegularFile(image), "shared image not found: " + image);
        int[] nodes = new int[2];
        String[] modes = {"fast", "tflite"};
        String[] results = new String[2];
        for (int i = 0; i < 2; i++) {
            Path out = dir.resolve(modes[i] + ".onnx");
            Cli.Result r = Cli.run("import", "--tflite", tflite.toString(), "--arithmetic", modes[i], "--output",
                    out.toString());
            assertEquals(Main.OK, r.code(), r.all());
            var m = java.util.regex.Pattern.compile("; (\\d+) nodes").matcher(r.out());
            assertTrue(m.find(), r.out());
            nodes[i] = Integer.parseInt(m.group(1));
            Path res = dir.resolve("infer-" + modes[i]);
            Cli.Result inf = Cli.run("infer", "--model", out.toString(), "--input", image.toString(), "--output",
                    res.toString(), "--no-overlays", "--threads", "2");
            assertEquals(Main.OK, inf.code(), inf.all());
            results[i] = Files.readString(res.resolve("results.json"));
        }
        assertTrue(nodes[1] > nodes[0], "the exact emulation adds nodes: " + nodes[0] + " vs " + nodes[1]);
        // the two differ by at most a quantisation step on a few values: the same people are found
        assertEquals(results[0].split("\"category_id\"").length, results[1].split("\"category_id\"").length,
                results[0] + "\n" + results[1]);
        Cli.Result bad = Cli.run("import", "--tflite", tflite.toString(), "--arithmetic", "exact", "--output",
                dir.resolve("x.onnx").toString());
        assertEquals(Main.ERROR, bad.code(), bad.all());
        assertTrue(bad.err().contains("fast, tflite"), bad.err());
    }

    @Test
    void impossibleSizeIsExitTwoAndWritesNothing() {
        Path tflite = model("yolov8n_256_quant_pc_ii_seg_coco-st.tflite");
        Path out = dir.resolve("bad.onnx");
        Cli.Result r = Cli.run("import", "--tflite", tflite.toString(), "--input-size", "330x256", "--output",
                out.toString());
        assertEquals(Main.ERROR, r.code(), r.all());
        assertTrue(r.err().contains("330x256"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void notATfliteFileIsExitTwo() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.tflite"), "definitely not a flatbuffer");
        Cli.Result r = Cli.run("import", "--tflite", junk.toString(), "--output", dir.resolve("x.onnx").toString());
        assertEquals(Main.ERROR, r.code(), r.all());
        assertTrue(r.err().contains("TFL3"), r.err());
    }
}
