package org.peopleseg.train.yolo.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.train.yolo.SharedFiles;
import picocli.CommandLine;

/** {@code --crop-from}: a malformed size, one smaller than the input, or one with --mosaic exit 2 with one line. */
class YoloTrainCommandCropTest {
    @TempDir
    Path dir;

    private String[] run(Path pkg, Path ann, String... extra) {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("--model", pkg.toString(),
                "--train-annotations", ann.toString(), "--train-images",
                SharedFiles.resolve("data/cctv-1080p-train/images").toString(), "--output",
                dir.resolve("run").toString(), "--epochs", "1"));
        a.addAll(java.util.List.of(extra));
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = new CommandLine(new YoloTrainCommand()).execute(a.toArray(String[]::new));
        } finally {
            System.setErr(err);
        }
        return new String[] {Integer.toString(code), buf.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void badCropSizesAreRefusedWithExitTwo() throws Exception {
        Path pkg = SharedFiles.yolo11Fp32(dir.resolve("start-320x192.onnx"), 320, 192);
        Path ann = YoloFineTuneTest.subset("data/cctv-1080p-train", 1, dir.resolve("one.json"));
        String[] r = run(pkg, ann, "--crop-from", "1600");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("--crop-from must be WxH"), r[1]);
        r = run(pkg, ann, "--crop-from", "160x96");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("crop-from 160x96 is smaller than the training input 320x192"), r[1]);
        r = run(pkg, ann, "--crop-from", "640x384", "--mosaic", "0.5");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("crop-from and mosaic do not combine"), r[1]);
        assertFalse(Files.exists(dir.resolve("run/model.onnx")), "nothing written");
    }
}
