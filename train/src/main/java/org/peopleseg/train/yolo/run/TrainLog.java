package org.peopleseg.train.yolo.run;

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
import org.peopleseg.train.yolo.loss.YoloLossTerms;

/** train.jsonl (a line per image) and metrics.jsonl (a line per epoch), appended when a run resumes. */
final class TrainLog implements AutoCloseable {
    private static final ObjectMapper JSON = UntrustedJson.mapper();
    private final BufferedWriter steps;
    private final BufferedWriter epochs;

    TrainLog(Path dir, boolean append) throws IOException {
        StandardOpenOption[] mode = append
                ? new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.APPEND}
                : new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE};
        steps = Files.newBufferedWriter(dir.resolve("train.jsonl"), StandardCharsets.UTF_8, mode);
        epochs = Files.newBufferedWriter(dir.resolve("metrics.jsonl"), StandardCharsets.UTF_8, mode);
    }

    void step(int epoch, long iteration, String image, YoloLossTerms t, LearningSchedule.Point p) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("epoch", epoch + 1).put("iteration", iteration).put("image", image).put("box", t.box())
                .put("seg", t.seg()).put("cls", t.cls()).put("dfl", t.dfl()).put("total", t.total())
                .put("positives", t.positives()).put("lr", p.weightLr()).put("bias_lr", p.biasLr())
                .put("momentum", p.momentum()).put("accumulate", p.accumulate());
        steps.write(JSON.writeValueAsString(o));
        steps.newLine();
    }

    void epoch(FineTuneResult.EpochMetrics m) throws IOException {
        epochs.write(JSON.writeValueAsString(m));
        epochs.newLine();
        epochs.flush();
        steps.flush();
    }

    static List<FineTuneResult.EpochMetrics> readEpochs(Path dir) throws IOException {
        Path f = dir.resolve("metrics.jsonl");
        List<FineTuneResult.EpochMetrics> out = new ArrayList<>();
        if (!Files.exists(f)) {
            return out;
        }
        for (String line : Files.readAllLines(f)) {
            if (!line.isBlank()) {
                JsonNode n = JSON.readTree(line);
                out.add(JSON.treeToValue(n, FineTuneResult.EpochMetrics.class));
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
