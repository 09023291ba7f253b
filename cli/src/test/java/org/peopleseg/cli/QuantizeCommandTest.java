package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.runtime.session.OnnxSession;
import org.peopleseg.runtime.session.SessionSettings;

/**
 * {@code quantize} end to end on real models: YOLO11n-seg imported as fp32 from the shared TFLite at a small input
 * size, and the test's small Mask R-CNN. Few images, small sizes: the full measurement is the README's.
 */
class QuantizeCommandTest {
    @TempDir
    Path dir;

    private Path yoloFp32() {
        return SharedFiles.yolo11Fp32("320x192", dir.resolve("yolo-fp32.onnx"));
    }

    @Test
    void calibratingOnOneBlackImageIsRefusedWithTheSensitivityTable() throws Exception {
        Path annotations = SharedFiles.shared("data/coco-person/annotations.json");
        Path model = yoloFp32();
        Path black = dir.resolve("black");
        Files.createDirectories(black);
        ImageIO.write(new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB), "png", black.resolve("black.png").toFile());
        Path out = dir.resolve("int8.onnx");
        Cli.Result r = Cli.run("quantize", "--model", model.toString(), "--calibration", black.toString(),
                "--validation", annotations.toString(), "--validation-split", "2/4", "--validation-limit", "6",
                "--leave-one-out", "3", "--threads", "2", "--output", out.toString());
        assertEquals(QuantizeCommand.REFUSED, r.code(), r.all());
        assertTrue(r.err().contains("REFUSED: the INT8 model drops"), r.err());
        assertTrue(r.out().contains("Sensitivity (each quantised value alone"), r.out());
        assertTrue(r.out().matches("(?s).*\\n1 +-?[0-9.]+ +[0-9.]+% .*"), "a ranked row: " + r.out());
        assertTrue(r.out().contains("Leave-one-out (all INT8 but one layer kept FP32"), r.out());
        assertTrue(r.out().matches("(?s).*\\n1 +[0-9.]+ +[-+][0-9.]+ +[0-9.]+  \\S+ \\((Conv|Gemm)\\)\\n.*"),
                "a ranked leave-one-out row: " + r.out());
        assertTrue(r.err().contains("Leave-one-out: 3 models"), r.err());
        assertTrue(r.out().contains("FP32") && r.out().contains("INT8"), r.out());
        assertTrue(r.err().contains("LICENCE: " + out + " is derived from AGPL-3.0 weights and stays AGPL-3.0"), r.err());
        assertFalse(Files.exists(out), "a refused model is not written");
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".peopleseg-")), "no temporary left");
        }
    }

    @Test
    void agreementGatePassesWritesMetadataAndTheCacheIsReused() throws Exception {
        Path images = SharedFiles.shared("data/coco-person/images");
        Path calib = dir.resolve("calib");
        Files.createDirectories(calib);
        for (String f : new String[] {"000000081394.jpg", "000000568290.jpg", "000000000872.jpg"}) {
            Path src = images.resolve(f);
            if (Files.isRegularFile(src)) {
                Files.copy(src, calib.resolve(f));
            }
        }
        Path model = yoloFp32();
        Path out = dir.resolve("int8.onnx");
        String[] args = {"quantize", "--model", model.toString(), "--calibration", calib.toString(), "--method",
                "minmax", "--max-drop", "100", "--threads", "2", "--output", out.toString()};
        Cli.Result r = Cli.run(args);
        assertEquals(Main.OK, r.code(), r.all());
        assertTrue(r.err().contains("QLinearConv"), r.err());
        assertTrue(r.out().contains("PASSED"), r.out());
        Map<String, String> meta;
        try (OnnxSession s = OnnxSession.open(out, new SessionSettings(1))) {
            meta = s.metadata();
        }
        assertEquals("int8", meta.get("peopleseg.precision"));
        assertEquals("minmax", meta.get("peopleseg.quantization.method"));
        assertEquals("passed", meta.get("peopleseg.quantization.gate"));
        assertTrue(meta.get("peopleseg.quantization.calibration_files").contains("000000081394.jpg "), meta.toString());
        assertEquals(64, meta.get("peopleseg.quantization.calibration_sha256").length());
        assertTrue(Files.isRegularFile(Path.of(out + ".calibration.json")));
        args[6] = "percentile";
        Cli.Result again = Cli.run(args);
        assertEquals(Main.OK, again.code(), again.all());
        assertTrue(again.err().contains("statistics from the cache"), again.err());
        // the package runs like any other
        Cli.Result bench = Cli.run("bench", "-m", model.toString(), "-m", out.toString(), "-i",
                calib.resolve("000000081394.jpg").toString(), "--warmup", "0", "--iterations", "2", "--threads", "2",
                "--json");
        assertEquals(Main.OK, bench.code(), bench.all());
        JsonNode arr = new ObjectMapper().readTree(bench.out());
        assertEquals(2, arr.size());
        assertTrue(arr.get(1).toString().contains("int8"), arr.get(1).toString());
    }

    @Test
    void maskRcnnConvolutionsAndFullyConnectedLayersBecomeIntegerKernels() throws Exception {
        Path frames = dir.resolve("frames");
        TestModel.jpeg(frames, "a.jpg", 320, 256, 1);
        Path out = dir.resolve("mrcnn-int8.onnx");
        Cli.Result r = Cli.run("quantize", "--model", TestModel.model().toString(), "--calibration",
                frames.toString(), "--max-drop", "100", "--threads", "2", "--output", out.toString(), "--no-cache");
        assertEquals(Main.OK, r.code(), r.all());
        assertTrue(r.err().contains("70 QLinearConv, 2 QGemm"), r.err());
        assertTrue(r.out().contains("UNTRAINED"), r.out());
        assertFalse(Files.exists(Path.of(out + ".calibration.json")));
    }

    @Test
    void anInt8PackageIsNotQuantisedAgain() throws Exception {
        Path tflite = SharedFiles.shared("models/ultralytics-st/yolo11n_256_quant_pc_ii_seg_coco-st.tflite");
        Path int8 = dir.resolve("st-int8.onnx");
        assertEquals(Main.OK, Cli.run("import", "--tflite", tflite.toString(), "--output", int8.toString()).code());
        Path frames = dir.resolve("frames");
        TestModel.jpeg(frames, "a.jpg", 320, 256, 1);
        Cli.Result r = Cli.run("quantize", "--model", int8.toString(), "--calibration", frames.toString(),
                "--output", dir.resolve("x.onnx").toString());
        assertEquals(Main.ERROR, r.code(), r.all());
        assertTrue(r.err().contains("already int8"), r.err());
    }
}
