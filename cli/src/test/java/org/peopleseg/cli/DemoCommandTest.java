package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void withTheSharedDataItTracksRealPeopleInVtestWithoutTheNetwork() throws Exception {
        Path shared = DemoInputs.sharedRoot();
        Assumptions.assumeTrue(shared != null && Files.isRegularFile(shared.resolve("data/vtest/vtest.avi"))
                && Files.isRegularFile(shared.resolve("models/ultralytics-st/yolo11n_256_quant_pc_ii_seg_coco-st.tflite")),
                "shared data (vtest.avi, yolo11n-seg) not found; skipping");
        Path work = tmp.resolve("cache");
        Path out = tmp.resolve("demo");
        Cli.Result r = Cli.run("demo", "--work", work.toString(), "--output", out.toString(), "--frames", "30",
                "--stills", "1", "--offline", "--threads", "2", "--min-mean-people", "3");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("(no download; verified and packaged"), r.out());
        assertTrue(r.err().contains("Licence: yolo11n-seg is AGPL-3.0"), r.err());
        assertTrue(r.out().contains("in 30 frames of vtest.avi"), r.out());
        assertTrue(Files.isRegularFile(work.resolve("models/yolo11n-seg-int8-960x576.onnx")));
        assertTrue(Files.size(out.resolve("vtest.mp4")) > 10_000);
        assertEquals(30, Files.readAllLines(out.resolve("vtest.jsonl")).size());
        assertTrue(Files.size(out.resolve("vtest.mot.txt")) > 0);
        try (var overlays = Files.list(out.resolve("overlays"))) {
            assertEquals(2, overlays.count(), "one COCO photo and one video frame");
        }
        DemoCommand.PeopleCounts counts = DemoCommand.PeopleCounts.read(out.resolve("vtest.jsonl"));
        assertTrue(counts.mean() >= 3, "vtest shows 3-9 people in every frame: " + counts);

        Cli.Result again = Cli.run("demo", "--work", work.toString(), "--output", out.toString(), "--frames", "10",
                "--stills", "0", "--offline", "--threads", "2", "--min-tracks", "1000");
        assertEquals(3, again.code(), again.all());
        assertTrue(again.out().contains(", cached: "), again.out());
        assertTrue(again.err().contains("tracks < --min-tracks 1000"), again.err());
    }

    /** A fresh clone without the shared data, whose downloads fail: the untrained model, and one line why. */
    @Test
    void withoutARealModelItSaysWhyAndRunsTheUntrainedOne() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        HttpServer mirror = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        mirror.createContext("/", ex -> {
            asked.add(ex.getRequestURI().getPath());
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        mirror.start();
        String base = "http://127.0.0.1:" + mirror.getAddress().getPort();
        System.setProperty("peopleseg.model_mirror", base);
        try {
            Path work = tmp.resolve("cache");
            Path out = tmp.resolve("demo");
            Cli.Result r = Cli.run("demo", "--work", work.toString(), "--output", out.toString(), "--no-shared",
                    "--stills", "1");
            assertEquals(0, r.code(), r.all());
            assertEquals(List.of("/yolo11n_256_quant_pc_ii_seg_coco-st.tflite", "/vtest.avi"), asked);
            assertTrue(r.out().contains("No real model: " + base + "/yolo11n_256_quant_pc_ii_seg_coco-st.tflite: "
                    + "HTTP 404"), r.out());
            assertTrue(r.out().contains("--from FILE"), r.out());
            assertTrue(r.out().contains("UNTRAINED"), r.out());
            assertTrue(r.out().contains("drawn street scenes"), r.out());
            assertTrue(r.out().contains(DemoCommand.REAL_WEIGHTS_HINT), r.out());
            assertTrue(Files.isRegularFile(work.resolve(DemoModel.UNTRAINED_NAME)));
            assertFalse(Files.exists(work.resolve("models/yolo11n_256_quant_pc_ii_seg_coco-st.tflite")));
            assertTrue(Files.exists(out.resolve("results.json")));
            try (var overlays = Files.list(out.resolve("overlays"))) {
                assertEquals(1, overlays.count());
            }

            Cli.Result second = Cli.run("demo", "--work", work.toString(), "--output", out.toString(), "--no-shared",
                    "--stills", "1", "--offline");
            assertEquals(0, second.code(), second.all());
            assertTrue(second.out().contains("(cached"), second.out());
            assertTrue(second.out().contains("No real model: --offline"), second.out());
        } finally {
            System.clearProperty("peopleseg.model_mirror");
            mirror.stop(0);
        }
    }

    @Test
    void syntheticFramesAreDeterministicAndPeopleLike() {
        var a = SyntheticImages.scene(320, 192, 5);
        var b = SyntheticImages.scene(320, 192, 5);
        var c = SyntheticImages.scene(320, 192, 6);
        int[] pa = a.getRGB(0, 0, 320, 192, null, 0, 320);
        int[] pb = b.getRGB(0, 0, 320, 192, null, 0, 320);
        int[] pc = c.getRGB(0, 0, 320, 192, null, 0, 320);
        assertTrue(java.util.Arrays.equals(pa, pb));
        assertTrue(!java.util.Arrays.equals(pa, pc));
    }
}
