package org.peopleseg.models.yolo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.Instance;
import org.peopleseg.models.SharedDir;
import org.peopleseg.models.tflite.TfliteConverter;
import org.peopleseg.models.tflite.UnsupportedModelException;
import org.peopleseg.runtime.model.ModelMetadata;
import org.peopleseg.runtime.session.OnnxSession;
import org.peopleseg.runtime.session.SessionSettings;

/** Real YOLO-seg TFLite files imported as packages and run as Segmenters on a real COCO image. */
class YoloSegImportTest {
    @TempDir
    Path dir;

    private static Path model(String name) {
        Path f = SharedDir.require().resolve("models/ultralytics-st/" + name);
        Assumptions.assumeTrue(Files.isRegularFile(f), "model not found: " + f);
        return f;
    }

    private Detections segment(Path pkg, Path image) throws Exception {
        OnnxSession s = OnnxSession.open(pkg, new SessionSettings(2));
        try (YoloSegSegmenter seg = new YoloSegSegmenter(s, ModelMetadata.fromProperties(s.metadata()), 0.25)) {
            return seg.segment(image);
        }
    }

    @Test
    void importedYolo11FindsThePersonAt960x576WithAMask() throws Exception {
        Path tflite = model("yolo11n_256_quant_pc_ii_seg_coco-st.tflite");
        Path out = dir.resolve("y11.onnx");
        YoloSegPackage.Imported imp = YoloSegPackage.importTflite(tflite, new YoloSegPackage.ImportOptions(960, 576,
                TfliteConverter.Precision.INT8, List.of("person"), "AGPL-3.0"), out);
        ModelMetadata m = imp.metadata();
        assertEquals("yolo-seg", m.architecture());
        assertEquals(List.of("person"), m.labels());
        assertEquals(List.of(1), m.categoryIds());
        assertEquals(960, m.inputWidth());
        assertEquals(576, m.inputHeight());
        assertEquals(120 * 72 + 60 * 36 + 30 * 18, imp.anchors());
        assertEquals(32, imp.maskCoefficients());
        // COCO 000000002532: one person, ground-truth box [183, 305, 102, 168] (x, y, w, h)
        Path image = SharedDir.require().resolve("data/coco-person/images/000000002532.jpg");
        Detections d = segment(out, image);
        assertFalse(d.instances().isEmpty());
        Instance best = d.instances().get(0);
        assertEquals("person", best.label());
        assertTrue(best.box().iou(Box.fromXywh(183, 305, 102, 168)) > 0.8, best.box().toString());
        assertTrue(best.hasMask());
        assertEquals(d.width(), best.mask().width());
        long area = best.mask().area();
        assertTrue(area > 0.3 * best.box().area() && area < best.box().area(), "mask area " + area);
    }

    @Test
    void yolov8Fp32AllClassesAtTheFileSize() throws Exception {
        Path out = dir.resolve("v8.onnx");
        YoloSegPackage.Imported imp = YoloSegPackage.importTflite(model("yolov8n_320_quant_pc_ii_seg_coco-st.tflite"),
                new YoloSegPackage.ImportOptions(0, 0, TfliteConverter.Precision.FP32, List.of(), "AGPL-3.0"), out);
        assertEquals(80, imp.metadata().labels().size());
        assertEquals(90, imp.metadata().categoryIds().get(79));
        assertEquals(2100, imp.anchors());
        Detections d = segment(out, SharedDir.require().resolve("data/coco-person/images/000000001490.jpg"));
        assertTrue(d.instances().stream().anyMatch(i -> i.label().equals("person")
                && i.box().iou(Box.fromXywh(449, 118, 51, 123)) > 0.7), d.instances().toString());
    }

    @Test
    void impossibleSizeAndUnknownClassWriteNothing() {
        Path tflite = model("yolov8n_256_quant_pc_ii_seg_coco-st.tflite");
        Path out = dir.resolve("bad.onnx");
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> YoloSegPackage.importTflite(
                tflite, new YoloSegPackage.ImportOptions(650, 640, TfliteConverter.Precision.INT8, List.of(), "x"), out));
        assertTrue(e.getMessage().contains("650x640"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> YoloSegPackage.importTflite(tflite,
                new YoloSegPackage.ImportOptions(0, 0, TfliteConverter.Precision.INT8, List.of("unicorn"), "x"), out));
        assertFalse(Files.exists(out));
    }
}
