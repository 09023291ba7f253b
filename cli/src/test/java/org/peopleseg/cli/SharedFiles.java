package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Files of the shared data folder for the cli tests: {@code -Dpeopleseg.shared}, else {@code PEOPLESEG_SHARED}, else
 * {@code ../shared} beside the repository; a test whose file is absent is skipped (a user's fresh clone has none).
 */
final class SharedFiles {
    private SharedFiles() {
    }

    static Path shared(String relative) {
        Path dir = null;
        String prop = System.getProperty("peopleseg.shared");
        String env = System.getenv("PEOPLESEG_SHARED");
        if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop))) {
            dir = Path.of(prop);
        } else if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env))) {
            dir = Path.of(env);
        } else {
            Path parent = Path.of("").toAbsolutePath().getParent();
            if (parent != null && Files.isDirectory(parent.resolveSibling("shared"))) {
                dir = parent.resolveSibling("shared");
            }
        }
        Assumptions.assumeTrue(dir != null, "shared data not found: set -Dpeopleseg.shared or PEOPLESEG_SHARED");
        Path p = dir.resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), p + " is missing");
        return p;
    }

    /**
     * Imports the shared YOLO11n-seg TFLite as an fp32 package of input size {@code size} (e.g. "640x384") into
     * {@code out} with {@code peopleseg import}, which must succeed; skipped when the model is not shared.
     */
    static Path yolo11Fp32(String size, Path out) {
        Path tflite = shared("models/ultralytics-st/yolo11n_256_quant_pc_ii_seg_coco-st.tflite");
        Cli.Result r = Cli.run("import", "--tflite", tflite.toString(), "--precision", "fp32", "--input-size", size,
                "--licence", "AGPL-3.0", "--output", out.toString());
        assertEquals(Main.OK, r.code(), r.all());
        return out;
    }
}
