package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code models available}, {@code models pull --from} and catalogue names as {@code --model}, offline. */
class ModelsPullCommandTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void isolateTheCache() {
        System.setProperty("peopleseg.cache_home", tmp.resolve("home").toString());
        // a closed port: a test that would reach for the network fails at once instead of touching the internet
        System.setProperty("peopleseg.model_mirror", "http://127.0.0.1:9/");
    }

    @AfterEach
    void restore() {
        System.clearProperty("peopleseg.cache_home");
        System.clearProperty("peopleseg.model_mirror");
    }

    private static Path sharedFile(String relative) {
        Path shared = DemoInputs.sharedRoot();
        Path f = shared == null ? null : shared.resolve(relative);
        Assumptions.assumeTrue(f != null && Files.isRegularFile(f), "shared file " + relative + " not found; skipping");
        return f;
    }

    @Test
    void availableListsTheCatalogueAndWhatIsCached() {
        Cli.Result r = Cli.run("models", "available", "--details");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().matches("(?s).*yolo11n-seg\\s+model\\s+3\\.7 MB\\s+no\\s+AGPL-3\\.0.*"), r.out());
        assertTrue(r.out().matches("(?s).*maskrcnn-r50-fpn-coco\\s+model\\s+~178\\.0 MB\\s+no.*"), r.out());
        assertTrue(r.out().contains("vtest.avi"), r.out());
        assertTrue(r.out().contains("peopleseg build --preset torchvision --weights maskrcnn_resnet50_fpn_coco-"
                + "bf2d0c1e.pth --input-size 960x576 --classes person"), r.out());
        assertTrue(r.out().contains("Cache: " + tmp.resolve("home/models")), r.out());
    }

    @Test
    void pullFromAFileThenUseTheNameAsModel() throws Exception {
        Path tflite = sharedFile("models/ultralytics-st/yolo11n_256_quant_pc_ii_seg_coco-st.tflite");
        Cli.Result r = Cli.run("models", "pull", "yolo11n-seg", "--from", tflite.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.err().startsWith("Licence: yolo11n-seg is AGPL-3.0"), r.err());
        Path models = tmp.resolve("home/models");
        assertTrue(Files.isRegularFile(models.resolve("yolo11n-seg-fp32-960x576.onnx")));
        assertTrue(Files.isRegularFile(models.resolve("yolo11n-seg-int8-960x576.onnx")));
        assertTrue(r.out().contains("SHA-256 260fbb48017f6691c17aba74903319ae77c99b70abc7360e3d24eebca57eeacd "
                + "verified; from " + tflite), r.out());

        Cli.Result listed = Cli.run("models", models.toString());
        assertTrue(listed.out().contains("source: yolo11n-seg from " + tflite.toAbsolutePath().toUri()), listed.out());
        assertTrue(listed.out().contains("revision git c7797ef4824083851be471b99e02773e1c67dea4"), listed.out());

        Path photo = sharedFile("data/coco-person/images/000000463730.jpg");
        Cli.Result infer = Cli.run("infer", "--model", "yolo11n-seg-int8-960x576", "--input", photo.toString(),
                "--output", tmp.resolve("out").toString(), "--threads", "2");
        assertEquals(0, infer.code(), infer.all());
        assertTrue(infer.all().contains("yolo11n-seg-int8-960x576.onnx"), infer.all());
        // a crowd of 13 annotated people: the real model finds several (4 at 0.5), untrained weights none reliably
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) people found").matcher(infer.out());
        assertTrue(m.find() && Integer.parseInt(m.group(1)) >= 3, infer.out());
    }

    @Test
    void aWrongFromFileIsRefusedAndNothingIsCached() throws Exception {
        Path wrong = tmp.resolve("yolo11n_256_quant_pc_ii_seg_coco-st.tflite");
        Files.write(wrong, new byte[1000]);
        Cli.Result r = Cli.run("models", "pull", "yolo11n-seg", "--from", wrong.toString(), "--dir",
                tmp.resolve("d").toString());
        assertEquals(Main.ERROR, r.code(), r.all());
        String[] lines = r.err().strip().split("\n");
        assertTrue(lines[lines.length - 1].startsWith("peopleseg models pull: " + wrong + ": 1000 bytes, SHA-256 "
                + "541b3e9daa09b20bf85fa273e5cbd3e80185aa4ec298e765db87742b70138a53: not yolo11n-seg's"), r.err());
        assertFalse(Files.exists(tmp.resolve("d/yolo11n_256_quant_pc_ii_seg_coco-st.tflite")));
        assertFalse(Files.exists(tmp.resolve("d/yolo11n-seg-int8-960x576.onnx")));
    }

    @Test
    void noNetworkIsOneLineWithWhatToDo() {
        long t0 = System.nanoTime();
        Cli.Result r = Cli.run("models", "pull", "vtest.avi");
        assertEquals(Main.ERROR, r.code(), r.all());
        assertTrue((System.nanoTime() - t0) / 1e9 < 15, "must fail in seconds");
        assertTrue(r.err().contains("peopleseg models pull: http://127.0.0.1:9/vtest.avi: cannot connect"), r.err());
        assertTrue(r.err().contains("run 'peopleseg models pull vtest.avi --from FILE'"), r.err());
        assertFalse(Files.exists(tmp.resolve("home/models/vtest.avi")));
    }

    @Test
    void unknownNamesAreUsageErrorsThatListTheCatalogue() {
        Cli.Result pull = Cli.run("models", "pull", "yolo99");
        assertEquals(Main.ERROR, pull.code());
        assertTrue(pull.err().contains("'yolo99' is not in the catalogue (yolo11n-seg, maskrcnn-r50-fpn-coco, "
                + "vtest.avi)"), pull.err());
        Cli.Result infer = Cli.run("bench", "--model", "yolo99", "--iterations", "1");
        assertEquals(Main.ERROR, infer.code());
        assertTrue(infer.err().contains("yolo99: no such file, and not a catalogue model (one of yolo11n-seg, "
                + "maskrcnn-r50-fpn-coco"), infer.err());
    }
}
