package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code peopleseg evaluate-tracks}: table, JSON, several sequences and the errors a user can make. */
class EvaluateTracksCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One person over four frames (flag -1 as in PETS ground truth). */
    private static final String GT = """
            1,1,10,10,20,40,-1,-1,-1,-1
            2,1,12,10,20,40,-1,-1,-1,-1
            3,1,14,10,20,40,-1,-1,-1,-1
            4,1,16,10,20,40,-1,-1,-1,-1
            """;

    /** Found in every frame, but the track id changes at frame 3: 1 switch, MOTA 3/4, IDF1 1/2. */
    private static final String TRACKS = """
            1,5,10,10,20,40,0.9,-1,-1,-1
            2,5,12,10,20,40,0.9,-1,-1,-1
            3,6,14,10,20,40,0.9,-1,-1,-1
            4,6,16,10,20,40,0.9,-1,-1,-1
            """;

    private static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void printsTableAndWritesJson(@TempDir Path dir) throws IOException {
        Path gt = write(dir, "PETS09-S3/gt/gt.txt", GT);
        Path tracks = write(dir, "tracks.txt", TRACKS);
        Path json = dir.resolve("out/metrics.json");
        Cli.Result r = Cli.run("evaluate-tracks", "--gt", gt.toString(), "--tracks", tracks.toString(),
                "--output", json.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("MOTA") && r.out().contains("IDF1") && r.out().contains("IDSW"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("PETS09-S3") && l.contains("75.0%")
                && l.contains("50.0%")), r.out());
        assertTrue(r.out().contains("Wrote " + json), r.out());
        JsonNode root = JSON.readTree(json.toFile());
        assertEquals("peopleseg.tracking/1", root.get("schema").asText());
        JsonNode m = root.get("sequences").get(0).get("metrics");
        assertEquals("PETS09-S3", root.get("sequences").get(0).get("name").asText());
        assertEquals(0.75, m.get("mota").asDouble(), 1e-12);
        assertEquals(0.5, m.get("idf1").asDouble(), 1e-12);
        assertEquals(1, m.get("id_switches").asInt());
        assertEquals(4, m.get("gt_boxes").asInt());
        assertEquals(1.0, m.get("detection").get("precision").asDouble());
        assertEquals(m, root.get("overall"));
        try (var files = Files.list(json.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void severalSequencesGetAnOverallRow(@TempDir Path dir) throws IOException {
        Path gt = write(dir, "a.txt", GT);
        Path tracks = write(dir, "t.txt", TRACKS);
        Path empty = write(dir, "none.txt", "");
        Path json = dir.resolve("m.json");
        Cli.Result r = Cli.run("evaluate-tracks", "--gt", gt.toString(), "--tracks", tracks.toString(),
                "--gt", gt.toString(), "--tracks", empty.toString(), "--iou", "0.6", "-o", json.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("OVERALL")), r.out());
        JsonNode root = JSON.readTree(json.toFile());
        assertEquals(0.6, root.get("iou").asDouble());
        assertEquals("a#2", root.get("sequences").get(1).get("name").asText());
        assertEquals(8, root.get("overall").get("gt_boxes").asInt());
        assertEquals(4, root.get("overall").get("misses").asInt());
        assertEquals(1 - 5 / 8.0, root.get("overall").get("mota").asDouble(), 1e-12);
    }

    @Test
    void malformedLineIsOneLineNamingFileAndLine(@TempDir Path dir) throws IOException {
        Path gt = write(dir, "gt.txt", GT + "5,1,3,4\n");
        Path tracks = write(dir, "tracks.txt", TRACKS);
        Cli.Result r = Cli.run("evaluate-tracks", "--gt", gt.toString(), "--tracks", tracks.toString());
        assertEquals(2, r.code(), r.all());
        assertEquals("peopleseg evaluate-tracks: " + gt + ":5: expected at least 6 numbers (frame,id,x,y,w,h), "
                + "got 4", r.err().strip());
        assertFalse(r.all().contains("Exception"), r.all());
    }

    @Test
    void missingFileAndBadUsage(@TempDir Path dir) throws IOException {
        Path gt = write(dir, "gt.txt", GT);
        Path missing = dir.resolve("nope.txt");
        Cli.Result r = Cli.run("evaluate-tracks", "--gt", gt.toString(), "--tracks", missing.toString());
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains(missing + ": no such file"), r.err());

        Cli.Result unpaired = Cli.run("evaluate-tracks", "--gt", gt.toString(), "--gt", gt.toString(),
                "--tracks", gt.toString());
        assertEquals(2, unpaired.code());
        assertTrue(unpaired.err().contains("one --tracks per --gt"), unpaired.err());

        Cli.Result badIou = Cli.run("evaluate-tracks", "--gt", gt.toString(), "--tracks", gt.toString(),
                "--iou", "0");
        assertEquals(2, badIou.code());
        assertTrue(badIou.err().contains("--iou must be in (0, 1]"), badIou.err());

        Cli.Result dirOutput = Cli.run("evaluate-tracks", "--gt", gt.toString(), "--tracks", gt.toString(),
                "--output", dir.toString());
        assertEquals(2, dirOutput.code());
        assertTrue(dirOutput.err().contains("is a directory"), dirOutput.err());
    }

    @Test
    void detectionFileGivenAsTracksIsExplained(@TempDir Path dir) throws IOException {
        Path gt = write(dir, "gt.txt", GT);
        Path det = write(dir, "det.txt", "1,-1,10,10,20,40,0.9\n1,-1,100,10,20,40,0.8\n");
        Cli.Result r = Cli.run("evaluate-tracks", "--gt", gt.toString(), "--tracks", det.toString());
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains(det + ":2: id -1 appears twice in frame 1"), r.err());
    }

    @Test
    void warnsAboutZeroBasedFrames(@TempDir Path dir) throws IOException {
        Path gt = write(dir, "gt.txt", GT);
        Path shifted = write(dir, "t.txt", TRACKS.replace("1,5,", "0,5,").replace("2,5,", "1,5,")
                .replace("3,6,", "2,6,").replace("4,6,", "3,6,"));
        Cli.Result r = Cli.run("evaluate-tracks", "--gt", gt.toString(), "--tracks", shifted.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.err().contains("starts at frame 0"), r.err());
    }

    @Test
    void listedInHelp() {
        Cli.Result r = Cli.run("--help");
        assertTrue(r.out().contains("evaluate-tracks"), r.out());
        Cli.Result h = Cli.run("evaluate-tracks", "--help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("IDF1"), h.out());
    }
}
