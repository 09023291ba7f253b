package org.peopleseg.train.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.models.spec.SpecParser;
import org.peopleseg.train.checkpoint.CheckpointStore;
import org.peopleseg.train.checkpoint.TrainingState;
import org.peopleseg.train.spec.TrainingConfig;
import org.peopleseg.train.spec.TrainingSpecs;

class TrainerTest {

    static TrainingConfig config(Path data) throws Exception {
        String text = new String(TrainerTest.class.getResourceAsStream("/spec/tiny_train.txt").readAllBytes(),
                StandardCharsets.UTF_8);
        var spec = SpecParser.parse(text, "tiny_train.txt");
        return TrainingSpecs.resolve(spec, new TrainingSpecs.Overrides(data.resolve("annotations.json"), data,
                null, null, null), data);
    }

    static ModelFactory tiny(long nanAtCall) {
        return (c, w, s) -> {
            TinyTrainable t = new TinyTrainable(1, nanAtCall);
            if (w != null) {
                t.loadStateDict(w);
            }
            return t;
        };
    }

    static Trainer.Options options(Path run, boolean resume, StringWriter log, java.util.function.BooleanSupplier stop) {
        return new Trainer.Options(run, resume, new PrintWriter(log, true), stop, null, null);
    }

    @Test
    void anInterruptedAndResumedRunEndsWithTheSameWeightsAsAnUninterruptedOne(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        TinyCoco.write(data, 5, 96, 64, false);
        TrainingConfig config = config(data);

        StringWriter logA = new StringWriter();
        TrainingSummary a = new Trainer(config, tiny(0),
                options(tmp.resolve("a"), false, logA, () -> false)).run();
        assertEquals(6, a.stepsDone());
        assertFalse(a.interrupted());

        // stop after 4 steps (a checkpoint at 3 by the schedule, one at 4 for the stop), then resume to the end
        AtomicInteger polls = new AtomicInteger();
        StringWriter logB = new StringWriter();
        TrainingSummary b1 = new Trainer(config, tiny(0),
                options(tmp.resolve("b"), false, logB, () -> polls.incrementAndGet() > 4)).run();
        assertTrue(b1.interrupted());
        assertEquals(4, b1.stepsDone());
        assertTrue(logB.toString().contains("Stop requested: writing a checkpoint at step 4"), logB.toString());
        TrainingSummary b2 = new Trainer(config, tiny(0),
                options(tmp.resolve("b"), true, logB, () -> false)).run();
        assertEquals(6, b2.stepsDone());
        assertTrue(logB.toString().contains("Resuming from"), logB.toString());

        TrainingState sa = new CheckpointStore(tmp.resolve("a")).latest().orElseThrow();
        TrainingState sb = new CheckpointStore(tmp.resolve("b")).latest().orElseThrow();
        assertEquals(6, sa.step());
        assertEquals(6, sb.step());
        for (String name : sa.weights().keySet()) {
            assertArrayEquals(sa.weights().get(name).values(), sb.weights().get(name).values(), 0f, name);
        }
        for (int i = 0; i < sa.velocity().size(); i++) {
            assertArrayEquals(sa.velocity().get(i), sb.velocity().get(i), 0f, "velocity " + i);
        }
        // the weights moved, and the log of the resumed run is the uninterrupted run's, line for line but timing
        assertFalse(java.util.Arrays.equals(new TinyTrainable(1, 0).stateDict().get("head.weight").values(),
                sa.weights().get("head.weight").values()));
        List<String> la = Files.readAllLines(tmp.resolve("a/train.jsonl"));
        List<String> lb = Files.readAllLines(tmp.resolve("b/train.jsonl"));
        assertEquals(6, la.size());
        assertEquals(6, lb.size());
        for (int i = 0; i < 6; i++) {
            assertEquals(withoutTiming(la.get(i)), withoutTiming(lb.get(i)), "line " + (i + 1));
        }
        assertTrue(logA.toString().contains("step 6/6"), logA.toString());
        assertEquals(1, new CheckpointStore(tmp.resolve("a")).list().size(), "older checkpoints are removed");
    }

    private static String withoutTiming(String line) {
        return line.replaceAll("\"(seconds|rss_mb)\":[0-9.eE+-]+", "");
    }

    @Test
    void lossFallsOverTraining(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        TinyCoco.write(data, 4, 96, 64, false);
        TrainingConfig config = config(data);
        config = config.withSchedule(new org.peopleseg.train.spec.Schedule(42, 2, 60, 0, 0, 0, 0.05, 0.05,
                new double[0], new double[0], 0.9, 0, 0, 0, 30, 10));
        new Trainer(config, tiny(0), options(tmp.resolve("run"), false, new StringWriter(),
                () -> false)).run();
        List<String> lines = Files.readAllLines(tmp.resolve("run/train.jsonl"));
        double first = total(lines.subList(0, 5));
        double last = total(lines.subList(55, 60));
        assertTrue(last < first * 0.5, "loss " + first + " -> " + last);
    }

    private static double total(List<String> lines) throws Exception {
        double s = 0;
        for (String l : lines) {
            s += new com.fasterxml.jackson.databind.ObjectMapper().readTree(l).get("loss_total").asDouble();
        }
        return s;
    }

    @Test
    void aNonFiniteLossStopsNamingTheStepAndTheTermAndKeepsTheLastCheckpoint(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        TinyCoco.write(data, 4, 96, 64, false);
        Path run = tmp.resolve("run");
        TrainingException e = assertThrows(TrainingException.class, () -> new Trainer(config(data),
                tiny(5), options(run, false, new StringWriter(), () -> false)).run());
        assertTrue(e.getMessage().startsWith("step 5: loss_mask is NaN"), e.getMessage());
        assertTrue(e.getMessage().contains("step-00000003.ckpt is kept"), e.getMessage());
        assertEquals(3, new CheckpointStore(run).latest().orElseThrow().step());
        assertEquals(4, Files.readAllLines(run.resolve("train.jsonl")).size());
    }

    @Test
    void aFailureInsideTheNetworkStopsNamingTheStep(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        TinyCoco.write(data, 4, 96, 64, false);
        Path run = tmp.resolve("run");
        TrainingException e = assertThrows(TrainingException.class, () -> new Trainer(config(data),
                tiny(-4), options(run, false, new StringWriter(), () -> false)).run());
        assertTrue(e.getMessage().startsWith("step 4: the network failed: addmm: index out of column bound, the last "
                + "good checkpoint "), e.getMessage());
        assertEquals(3, new CheckpointStore(run).latest().orElseThrow().step());
    }

    @Test
    void unreadableImagesAndBoxlessAnnotationsAreSkippedAndCounted(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        TinyCoco.write(data, 4, 96, 64, true);
        StringWriter log = new StringWriter();
        TrainingSummary s = new Trainer(config(data), tiny(0),
                options(tmp.resolve("run"), false, log, () -> false)).run();
        assertEquals(2, s.skippedImages());
        assertEquals(1, s.skippedAnnotations());
        assertTrue(s.failures().stream().anyMatch(f -> f.contains("missing.png")), s.failures().toString());
        assertTrue(s.failures().stream().anyMatch(f -> f.contains("corrupt.png")), s.failures().toString());
        assertTrue(log.toString().contains("skipped training image: "), log.toString());
        assertEquals(6, s.stepsDone());
    }

    @Test
    void anExistingRunIsNotOverwrittenWithoutResume(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        TinyCoco.write(data, 2, 96, 64, false);
        Path run = tmp.resolve("run");
        new Trainer(config(data), tiny(0), options(run, false, new StringWriter(), () -> false)).run();
        TrainingException e = assertThrows(TrainingException.class, () -> new Trainer(config(data),
                tiny(0), options(run, false, new StringWriter(), () -> false)).run());
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
    }
}
