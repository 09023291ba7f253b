package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto;

/**
 * {@code peopleseg train --model} (YOLO-seg, 320x192, 4 cctv frames) as a real child process: Ctrl-C (SIGINT through
 * {@code kill -INT}) in the middle of the run writes a checkpoint and exits with the signal's code and a clear line;
 * {@code --resume} finishes the run with exactly the weights of a run never interrupted; both runs evaluate on a
 * validation set into eval/STEP and write report.html.
 */
class YoloTrainInterruptTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void ctrlCWritesACheckpointAndResumeEndsWhereAnUninterruptedRunEnds() throws Exception {
        Path train = SharedFiles.shared("data/cctv-1080p-train");
        Path val = SharedFiles.shared("data/cctv-1080p");
        Path pkg = SharedFiles.yolo11Fp32("320x192", dir.resolve("start.onnx"));
        Path ann = subset(train.resolve("annotations.json"), 4, dir.resolve("train4.json"));

        Path stopped = dir.resolve("stopped");
        Process p = start(command(pkg, ann, train, val, stopped, false), dir.resolve("stopped.log"));
        // SIGINT after the second image of the run (train.jsonl gets a line per image)
        waitFor(() -> lines(stopped.resolve("train.jsonl")) >= 2, p, 300);
        // A JVM started with SIGINT ignored (a background job of a non-interactive shell, as in CI) keeps ignoring
        // it; SIGTERM takes the same shutdown path, so the test then sends that and expects 143.
        boolean intIgnored = sigintIgnored(p.pid());
        new ProcessBuilder("kill", intIgnored ? "-TERM" : "-INT", Long.toString(p.pid())).inheritIO().start()
                .waitFor();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the run ends after Ctrl-C");
        String log = Files.readString(dir.resolve("stopped.log"));
        assertEquals(intIgnored ? 143 : 130, p.exitValue(), "the shell's code for the signal\n" + log);
        assertTrue(log.contains("Stop requested (signal)"), log);
        assertTrue(log.contains("--resume continues exactly"), log);
        List<Path> ckpts = checkpoints(stopped);
        assertEquals(1, ckpts.size(), log);
        assertFalse(Files.exists(stopped.resolve("model.onnx")), "stopped: no package");
        assertTrue(Files.exists(stopped.resolve("report.html")), "the report covers the steps so far");
        int steps = lines(stopped.resolve("train.jsonl"));
        assertTrue(steps >= 2 && steps < 12, "stopped part-way: " + steps + " of 12 steps");
        assertTrue(ckpts.get(0).getFileName().toString().equals(String.format("step-%08d.ckpt", steps)),
                ckpts + " after " + steps + " steps");

        Process resumed = start(command(pkg, ann, train, val, stopped, true), dir.resolve("resumed.log"));
        assertTrue(resumed.waitFor(600, TimeUnit.SECONDS));
        String rlog = Files.readString(dir.resolve("resumed.log"));
        assertEquals(0, resumed.exitValue(), rlog);
        assertTrue(rlog.contains("resumed from"), rlog);

        Path full = dir.resolve("full");
        Process once = start(command(pkg, ann, train, val, full, false), dir.resolve("full.log"));
        assertTrue(once.waitFor(600, TimeUnit.SECONDS));
        assertEquals(0, once.exitValue(), Files.readString(dir.resolve("full.log")));

        Map<String, byte[]> a = weights(full.resolve("model.onnx")), b = weights(stopped.resolve("model.onnx"));
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), k + ": the resumed run's weights differ");
        }
        assertEquals(12, lines(stopped.resolve("train.jsonl")), "each step once");
        assertEquals(Files.readAllLines(full.resolve("metrics.jsonl")).size(),
                Files.readAllLines(stopped.resolve("metrics.jsonl")).size());
        for (Path run : List.of(full, stopped)) {
            JsonNode start = JSON.readTree(run.resolve("eval/0/summary.json").toFile());
            JsonNode end = JSON.readTree(run.resolve("eval/12/summary.json").toFile());
            assertTrue(start.has("bbox_AP50") && start.has("bbox_best_f1_accuracy"), start.toString());
            assertEquals(3, end.get("epoch").asInt());
            assertTrue(Files.readString(run.resolve("report.html")).contains("<h2>Evaluations</h2>"), run + "/report.html");
        }
        assertEquals(JSON.readTree(full.resolve("eval/12/summary.json").toFile()),
                JSON.readTree(stopped.resolve("eval/12/summary.json").toFile()), "same weights, same numbers");
    }

    private static List<String> command(Path pkg, Path ann, Path train, Path val, Path out, boolean resume) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx3g", "org.peopleseg.cli.Main", "train", "--model", pkg.toString(),
                "--train-annotations", ann.toString(), "--train-images", train.resolve("images").toString(),
                "--val-annotations", val.resolve("annotations.json").toString(), "--val-images",
                val.resolve("images").toString(), "--val-limit", "3",
                "--output", out.toString(), "--epochs", "3", "--optimizer", "SGD", "--lr0", "0.002", "--nbs", "3",
                "--warmup-epochs", "0", "--freeze", "backbone", "--seed", "1", "--threads", "2"));
        if (resume) {
            c.add("--resume");
        }
        return c;
    }

    /** The class path through CLASSPATH: ONNX Runtime crashes with a process command line over ~4 KB. */
    private static Process start(List<String> command, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        return pb.start();
    }

    private interface Check {
        boolean ok() throws IOException;
    }

    private static void waitFor(Check check, Process p, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!check.ok()) {
            assertTrue(p.isAlive(), "the run ended before it could be interrupted");
            assertTrue(System.nanoTime() < end, "timed out");
            Thread.sleep(100);
        }
    }

    private static int lines(Path f) throws IOException {
        return Files.exists(f) ? (int) Files.readAllLines(f).stream().filter(l -> !l.isBlank()).count() : 0;
    }

    private static List<Path> checkpoints(Path run) throws IOException {
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            return s.filter(f -> f.toString().endsWith(".ckpt")).sorted().toList();
        }
    }

    private static Map<String, byte[]> weights(Path model) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        for (TensorProto t : ModelProto.parseFrom(Files.readAllBytes(model)).getGraph().getInitializerList()) {
            out.put(t.getName(), t.getRawData().toByteArray());
        }
        return out;
    }

    /** The first {@code n} images with a person, as a new annotations file. */
    private static Path subset(Path annotations, int n, Path out) throws IOException {
        JsonNode all = JSON.readTree(annotations.toFile());
        Set<Long> keep = new HashSet<>();
        for (JsonNode a : all.get("annotations")) {
            if (keep.size() < n) {
                keep.add(a.get("image_id").asLong());
            }
        }
        ObjectNode o = JSON.createObjectNode();
        ArrayNode images = o.putArray("images"), anns = o.putArray("annotations");
        all.get("images").forEach(i -> {
            if (keep.contains(i.get("id").asLong())) {
                images.add(i);
            }
        });
        all.get("annotations").forEach(a -> {
            if (keep.contains(a.get("image_id").asLong())) {
                anns.add(a);
            }
        });
        o.set("categories", all.get("categories"));
        JSON.writeValue(out.toFile(), o);
        return out;
    }

    /** Whether the process ignores SIGINT (bit 2 of /proc/PID/status SigIgn). */
    private static boolean sigintIgnored(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring(7).trim(), 16) & 0b10) != 0;
            }
        }
        return false;
    }
}
