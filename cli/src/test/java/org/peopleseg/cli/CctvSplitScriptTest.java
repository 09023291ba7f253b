package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/cctv_split.py} on the real cctv annotations: the honesty of the README's cctv numbers rests on its
 * gap rule, so the rule is checked on its output, frame number by frame number — no kept training frame within 2
 * frame numbers of a test frame of its camera, and with {@code --hold-out} no training frame within 2 of a
 * validation frame either, the two parts together being exactly the frames kept without it.
 */
class CctvSplitScriptTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("^(\\d+)-(\\d+)-_");
    private static final int GAP = 2;

    private record Frame(int camera, int number) {}

    @Test
    void heldOutFramesAreFarFromTrainingFramesAndTestFrames(@TempDir Path dir) throws Exception {
        Path train = SharedFiles.shared("data/cctv-1080p-train/annotations.json");
        Path test = SharedFiles.shared("data/cctv-1080p/annotations.json");
        Path all = dir.resolve("all.json"), rest = dir.resolve("train.json"), val = dir.resolve("val.json");
        split(train, test, all);
        split(train, test, rest, "--hold-out", val.toString());

        List<Frame> tested = frames(JSON.readTree(test.toFile()));
        JsonNode kept = JSON.readTree(all.toFile());
        assertEquals(226, kept.get("images").size(), "the README's 226 kept training images");
        assertFar(frames(kept), tested, "kept training frame", "test frame");

        JsonNode trainPart = JSON.readTree(rest.toFile()), valPart = JSON.readTree(val.toFile());
        assertEquals(188, trainPart.get("images").size());
        assertEquals(38, valPart.get("images").size());
        assertFar(frames(trainPart), frames(valPart), "training frame", "validation frame");
        assertFar(frames(valPart), tested, "validation frame", "test frame");

        Set<Long> keptIds = ids(kept), parts = ids(trainPart);
        Set<Long> valIds = ids(valPart);
        assertTrue(parts.stream().noneMatch(valIds::contains), "an image in both parts");
        parts.addAll(valIds);
        assertEquals(keptIds, parts, "the two parts together are the frames kept without --hold-out");
        for (JsonNode part : List.of(trainPart, valPart)) {
            Set<Long> own = ids(part);
            for (JsonNode a : part.get("annotations")) {
                assertTrue(own.contains(a.get("image_id").asLong()), "a box of an image not in its part");
            }
        }
        assertEquals(kept.get("annotations").size(),
                trainPart.get("annotations").size() + valPart.get("annotations").size());
    }

    private static void assertFar(List<Frame> a, List<Frame> b, String what, String from) {
        for (Frame x : a) {
            for (Frame y : b) {
                assertTrue(x.camera() != y.camera() || Math.abs(x.number() - y.number()) > GAP,
                        what + " " + x + " is within " + GAP + " frame numbers of " + from + " " + y);
            }
        }
    }

    private static void split(Path train, Path test, Path out, String... more) throws IOException,
            InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3", Path.of("..", "examples", "cctv_split.py").toString(),
                train.toString(), test.toString(), out.toString(), "--gap", Integer.toString(GAP)));
        cmd.addAll(List.of(more));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "cctv_split.py did not finish");
        assertEquals(0, p.exitValue(), output);
        assertTrue(Files.isRegularFile(out), output);
    }

    private static List<Frame> frames(JsonNode coco) {
        List<Frame> out = new ArrayList<>();
        for (JsonNode im : coco.get("images")) {
            Matcher m = NAME.matcher(Path.of(im.get("file_name").asText()).getFileName().toString());
            assertTrue(m.find(), im.get("file_name").asText());
            out.add(new Frame(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
        }
        return out;
    }

    private static Set<Long> ids(JsonNode coco) {
        Set<Long> out = new HashSet<>();
        coco.get("images").forEach(im -> out.add(im.get("id").asLong()));
        return out;
    }
}
