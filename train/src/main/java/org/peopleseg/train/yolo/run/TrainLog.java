package org.peopleseg.train.yolo.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import org.peopleseg.core.io.UntrustedJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peopleseg.core.io.AtomicFiles;
import org.peopleseg.train.yolo.loss.YoloLossTerms;

/**
 * train.jsonl (a line per step, the schema both trainers share) and metrics.jsonl (a line per epoch), appended when
 * a run resumes after lines written past the checkpoint are dropped (a kill between checkpoints).
 *
 * <pre>
 * train.jsonl:   {"step": 12, "lr": 2e-4, "loss_box": .., "loss_seg": .., "loss_cls": .., "loss_dfl": ..,
 *                 "loss_total": .., "seconds": 0.41, "rss_mb": 1510, "images": [17],
 *                 "epoch": 1, "image": "f.jpg", "positives": 52, "bias_lr": .., "momentum": .., "accumulate": 4}
 * metrics.jsonl: FineTuneResult.EpochMetrics, plus "validation": {bbox_AP50: .., ...} when the epoch was evaluated
 * </pre>
 * Shared with the Mask R-CNN's train.jsonl: {@code step} (1-based, a forward/backward), {@code lr}, the
 * {@code loss_*} terms and {@code loss_total} (the sum minimised), {@code seconds}, {@code rss_mb}, {@code images}
 * (the COCO ids of the step's batch); the rest is the trainer's own.
 */
final class TrainLog implements AutoCloseable {
    private static final ObjectMapper JSON = UntrustedJson.mapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final BufferedWriter steps;
    private final BufferedWriter epochs;

    /**
     * @param keepSteps  on resume: the checkpoint's step (later train.jsonl lines are dropped); -1 starts afresh
     * @param keepEpochs on resume: the checkpoint's complete epochs (later metrics.jsonl lines are dropped)
     */
    TrainLog(Path dir, long keepSteps, int keepEpochs) throws IOException {
        Path stepFile = dir.resolve("train.jsonl"), epochFile = dir.resolve("metrics.jsonl");
        boolean append = keepSteps >= 0;
        if (append) {
            keep(stepFile, n -> n.path("step").asLong() <= keepSteps, Integer.MAX_VALUE);
            keep(epochFile, n -> true, keepEpochs);
        }
        StandardOpenOption[] mode = append
                ? new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.APPEND}
                : new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE};
        steps = Files.newBufferedWriter(stepFile, StandardCharsets.UTF_8, mode);
        epochs = Files.newBufferedWriter(epochFile, StandardCharsets.UTF_8, mode);
    }

    private static void keep(Path f, java.util.function.Predicate<JsonNode> keep, int max) throws IOException {
        if (!Files.exists(f)) {
            return;
        }
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            if (line.isBlank() || out.size() >= max) {
                continue;
            }
            try {
                if (keep.test(JSON.readTree(line))) {
                    out.add(line);
                }
            } catch (IOException partial) {
                // a line cut by a kill: dropped
            }
        }
        AtomicFiles.writeString(f, out.isEmpty() ? "" : String.join("\n", out) + "\n");
    }

    void step(int epoch, long iteration, long imageId, String image, YoloLossTerms t, LearningSchedule.Point p,
              double seconds, double rssMb) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("step", iteration + 1).put("lr", p.weightLr()).put("loss_box", t.box()).put("loss_seg", t.seg())
                .put("loss_cls", t.cls()).put("loss_dfl", t.dfl()).put("loss_total", t.total())
                .put("seconds", seconds).put("rss_mb", rssMb);
        o.putArray("images").add(imageId);
        o.put("epoch", epoch + 1).put("image", image).put("positives", t.positives()).put("bias_lr", p.biasLr())
                .put("momentum", p.momentum()).put("accumulate", p.accumulate());
        steps.write(JSON.writeValueAsString(o));
        steps.newLine();
        steps.flush(); // a line per image (~0.3 s or more): cheap, and `tail -f` and a killed run see every step
    }

    /** Flushes the step lines (before a checkpoint, so the log never lags behind it). */
    void flush() throws IOException {
        steps.flush();
        epochs.flush();
    }

    void epoch(FineTuneResult.EpochMetrics m, Map<String, Double> validation) throws IOException {
        ObjectNode o = JSON.valueToTree(m);
        if (!validation.isEmpty()) {
            ObjectNode v = o.putObject("validation");
            validation.forEach(v::put);
        }
        epochs.write(JSON.writeValueAsString(o));
        epochs.newLine();
        flush();
    }

    static List<FineTuneResult.EpochMetrics> readEpochs(Path dir) throws IOException {
        Path f = dir.resolve("metrics.jsonl");
        List<FineTuneResult.EpochMetrics> out = new ArrayList<>();
        if (!Files.exists(f)) {
            return out;
        }
        for (String line : Files.readAllLines(f)) {
            if (!line.isBlank()) {
                out.add(JSON.treeToValue(JSON.readTree(line), FineTuneResult.EpochMetrics.class));
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        steps.close();
        epochs.close();
    }
}
