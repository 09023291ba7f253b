package org.peopleseg.train.yolo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.peopleseg.models.tflite.TfliteConverter;
import org.peopleseg.models.yolo.YoloSegPackage;

/** ../shared for the train module's tests (skips when absent) and the fp32 YOLO11n-seg package made from it. */
public final class SharedFiles {
    public static final String YOLO11 = "models/ultralytics-st/yolo11n_256_quant_pc_ii_seg_coco-st.tflite";

    private SharedFiles() {}

    public static Path dir() {
        String prop = System.getProperty("peopleseg.shared");
        String env = System.getenv("PEOPLESEG_SHARED");
        Path p = env != null && !env.isBlank() ? Path.of(env) : prop != null ? Path.of(prop) : Path.of("../../shared");
        Assumptions.assumeTrue(Files.isDirectory(p.resolve("data")),
                "shared data not found at " + p.toAbsolutePath().normalize() + " (set PEOPLESEG_SHARED); skipping");
        return p;
    }

    public static Path resolve(String relative) {
        Path p = dir().resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), p + " is missing; skipping");
        return p;
    }

    /** `peopleseg import --tflite YOLO11 --precision fp32 --input-size WxH --licence AGPL-3.0` into {@code out}. */
    public static Path yolo11Fp32(Path out, int width, int height) throws IOException {
        YoloSegPackage.importTflite(resolve(YOLO11), new YoloSegPackage.ImportOptions(width, height,
                TfliteConverter.Precision.FP32, List.of("person"), "AGPL-3.0"), out);
        return out;
    }
}
