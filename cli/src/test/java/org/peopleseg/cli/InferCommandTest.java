package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** infer end to end on the small deterministic model: outputs, ids, failures, exit codes. */
class InferCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void corruptImageIsReportedAndSkippedTheOthersAreProcessed() throws Exception {
        Path images = tmp.resolve("images");
        Path coco = TestModel.jpeg(images, "000000000042.jpg", 320, 240, 1);
        Path street = TestModel.jpeg(images, "street.jpg", 256, 320, 2);
        byte[] garbage = new byte[4000];
        new Random(7).nextBytes(garbage);
        Path broken = Files.write(images.resolve("broken.jpg"), garbage);
        Path out = tmp.resolve("out");

        Cli.Result r = Cli.run("infer", "--model", TestModel.model().toString(), "--input", coco.toString(),
                broken.toString(), street.toString(), "--output", out.toString());

        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("FAILED " + broken), r.err());
        assertTrue(r.out().contains("Done: 2 images"), r.out());
        assertTrue(r.out().contains("1 failed"), r.out());
        assertTrue(r.out().contains(broken.toString()), "the summary names the failed file:\n" + r.out());

        // images.json: COCO ids from numeric names, the smallest unused id for the rest, in input order
        JsonNode list = JSON.readTree(out.resolve("images.json").toFile());
        assertEquals(2, list.size());
        assertEquals(42, list.get(0).get("id").asLong());
        assertEquals("000000000042.jpg", list.get(0).get("file_name").asText());
        assertEquals(320, list.get(0).get("width").asInt());
        assertEquals(240, list.get(0).get("height").asInt());
        // ids are given to every input up front (broken.jpg got 1), so fixing a file later changes no other id
        assertEquals(2, list.get(1).get("id").asLong());
        assertEquals("street.jpg", list.get(1).get("file_name").asText());
        assertEquals(256, list.get(1).get("width").asInt());

        // results.json agrees with the per-image files
        JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
        Map<Long, Integer> perImage = new HashMap<>();
        for (JsonNode d : results) {
            perImage.merge(d.get("image_id").asLong(), 1, Integer::sum);
            assertEquals(1, d.get("category_id").asInt());
            assertEquals(4, d.get("bbox").size());
            assertTrue(d.get("segmentation").get("counts").isTextual());
        }
        for (String name : List.of("000000000042", "street")) {
            JsonNode doc = JSON.readTree(out.resolve("detections").resolve(name + ".json").toFile());
            assertEquals(doc.get("instances").size(), perImage.getOrDefault(doc.get("image_id").asLong(), 0), name);
            assertTrue(Files.size(out.resolve("overlays").resolve(name + ".jpg")) > 0, name);
        }
        assertFalse(Files.exists(out.resolve("detections").resolve("broken.json")));
        assertNoTemporaryFiles(out);
    }

    @Test
    void directoriesAndGlobsExpandAndPngOverlaysCanBeChosen() throws Exception {
        Path images = tmp.resolve("in");
        TestModel.jpeg(images, "b.jpg", 200, 160, 3);
        TestModel.jpeg(images.resolve("sub"), "a.jpg", 160, 200, 4);
        Files.writeString(images.resolve("notes.txt"), "not an image");
        Path out = tmp.resolve("out");

        Cli.Result r = Cli.run("infer", "-m", TestModel.model().toString(), "-i", images.toString(),
                "-i", images + "/sub/*.jpg", "-i", images.resolve("b.jpg").toString(), "-o", out.toString(),
                "--overlays", "png", "--threshold", "0.9");

        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("Done: 2 images"), r.out()); // b.jpg once, though given twice
        assertTrue(Files.exists(out.resolve("overlays/b.png")));
        assertTrue(Files.exists(out.resolve("overlays/a.png")));
    }

    @Test
    void noOverlaysAndNothingToDo() throws Exception {
        Path img = TestModel.jpeg(tmp, "x.jpg", 120, 100, 5);
        Path out = tmp.resolve("out");
        Cli.Result r = Cli.run("infer", "-m", TestModel.model().toString(), "-i", img.toString(), "-o",
                out.toString(), "--no-overlays", "--threshold", "0.05", "--max-detections", "2");
        assertEquals(0, r.code(), r.all());
        assertFalse(Files.exists(out.resolve("overlays")));
        assertTrue(JSON.readTree(out.resolve("results.json").toFile()).size() <= 2);

        Cli.Result none = Cli.run("infer", "-m", TestModel.model().toString(), "-i", tmp + "/nothing/*.jpg", "-o",
                out.toString());
        assertEquals(2, none.code(), none.all());
        assertTrue(none.err().contains("no input images"), none.err());
    }

    @Test
    void aMissingInputFailsByNameWithExitCode1() throws Exception {
        Path img = TestModel.jpeg(tmp, "ok.jpg", 120, 100, 6);
        Path out = tmp.resolve("out");
        Cli.Result r = Cli.run("infer", "-m", TestModel.model().toString(), "-i", img.toString(),
                tmp.resolve("gone.jpg").toString(), "-o", out.toString());
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("gone.jpg: no such image file"), r.err());
    }

    @Test
    void flipAugmentationOfARealYoloPackageFindsThePeopleOfACrowdedPhoto() throws Exception {
        Path photo = SharedFiles.shared("data/coco-person/images/000000087038.jpg");
        Path pkg = SharedFiles.yolo11Fp32("640x384", tmp.resolve("y11.onnx"));
        int[] people = new int[2];
        String[] tta = {"none", "flip"};
        for (int i = 0; i < 2; i++) {
            Path out = tmp.resolve("out-" + tta[i]);
            Cli.Result r = Cli.run("infer", "-m", pkg.toString(), "-i", photo.toString(), "-o", out.toString(),
                    "--tta", tta[i], "--threshold", "0.3", "--no-overlays", "--threads", "2");
            assertEquals(Main.OK, r.code(), r.all());
            assertEquals(i == 1, r.err().contains("test-time augmentation flip"), r.err());
            people[i] = JSON.readTree(out.resolve("results.json").toFile()).size();
        }
        // 13 people are annotated; both find most of them, and fusion does not invent or lose many
        assertTrue(people[0] >= 8 && Math.abs(people[1] - people[0]) <= 3, people[0] + " vs " + people[1]);
        Cli.Result bad = Cli.run("infer", "-m", TestModel.model().toString(), "-i", photo.toString(), "-o",
                tmp.resolve("out-rcnn").toString(), "--tta", "flip");
        assertEquals(Main.ERROR, bad.code(), bad.all());
        assertTrue(bad.err().contains("yolo-seg packages only"), bad.err());
    }

    static void assertNoTemporaryFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> tmp = s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            assertTrue(tmp.isEmpty(), "temporary files left: " + tmp);
        }
    }
}
