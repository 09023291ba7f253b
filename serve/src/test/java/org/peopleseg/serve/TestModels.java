package org.peopleseg.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.peopleseg.models.maskrcnn.DeterministicWeights;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.models.maskrcnn.MaskRcnnPackage;
import org.peopleseg.models.spec.SpecWriter;
import org.peopleseg.models.spec.TorchvisionPreset;
import org.peopleseg.models.tflite.TfliteConverter;
import org.peopleseg.models.yolo.YoloSegPackage;

/** Model packages for the server tests, made by the project's own importers (never committed). */
final class TestModels {
    static final String YOLO11N = "models/ultralytics-st/yolo11n_256_quant_pc_ii_seg_coco-st.tflite";

    private TestModels() {}

    /** YOLO11n-seg int8 (real COCO weights from ../shared) at a small input for speed; skips when shared is absent. */
    static Path yolo(Path out, int width, int height) throws IOException {
        Path tflite = SharedFiles.resolve(YOLO11N);
        YoloSegPackage.importTflite(tflite, new YoloSegPackage.ImportOptions(width, height,
                TfliteConverter.Precision.INT8, List.of("person"), "AGPL-3.0"), out);
        return out;
    }

    /** A Mask R-CNN (ResNet-50 FPN) with deterministic, untrained weights: needs nothing from ../shared. */
    static Path maskRcnn(Path out, int width, int height) throws IOException {
        MaskRcnnConfig config = TorchvisionPreset.maskrcnnResnet50Fpn(height, width, 2);
        MaskRcnnPackage.write(config, SpecWriter.render(config), DeterministicWeights.forConfig(config),
                List.of("background", "person"), List.of(0, 1), "deterministic (untrained) test weights", "none", out);
        return out;
    }

    /** A real COCO photo from ../shared with people in it; skips when absent. */
    static Path photo(String file) {
        return SharedFiles.resolve("data/coco-person/images/" + file);
    }

    static void assumeFile(Path p) {
        Assumptions.assumeTrue(Files.isRegularFile(p), p + " not found");
    }
}
