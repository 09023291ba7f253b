package org.peopleseg.train.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.peopleseg.core.io.UntrustedJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.peopleseg.core.io.AtomicFiles;
import org.peopleseg.core.report.TrainingCharts;

/**
 * {@code report.html} of a run folder, from its files alone ({@code train.jsonl}, {@code eval/STEP/summary.json}),
 * so it can be rebuilt at any time: the loss terms and their weighted total over the steps, the learning rate,
 * memory, and COCO AP / AP50 (boxes and masks) and the KPIs of each evaluated checkpoint, drawn with the
 * evaluation report's charts. One self-contained file (images as data URIs). The one report of both trainers: the
 * loss terms are whatever {@code loss_*} keys the run's train.jsonl has (Mask R-CNN: rpn, classifier, box, mask;
 * YOLO-seg: box, seg, cls, dfl).
 */
public final class TrainingReport {
    private static final ObjectMapper JSON = UntrustedJson.mapper();
    private static final String[] AP = {"bbox_AP", "bbox_AP50", "segm_AP", "segm_AP50"};

    private TrainingReport() {}

    public static Path write(Path runDir) throws IOException {
        List<JsonNode> steps = new ArrayList<>();
        Path jsonl = runDir.resolve("train.jsonl");
        if (Files.exists(jsonl)) {
            for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    try {
                        steps.add(JSON.readTree(line));
                    } catch (IOException partial) {
                        // a line cut by a kill
                    }
                }
            }
        }
        List<JsonNode> evals = new ArrayList<>();
        Path evalDir = runDir.resolve("eval");
        if (Files.isDirectory(evalDir)) {
            try (Stream<Path> dirs = Files.list(evalDir)) {
                for (Path d : dirs.toList()) {
                    Path f = d.resolve("summary.json");
                    if (Files.exists(f)) {
                        evals.add(JSON.readTree(f.toFile()));
                    }
                }
            }
            evals.sort((a, b) -> Long.compare(a.path("step").asLong(), b.path("step").asLong()));
        }
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>peopleseg training: ")
                .append(TrainingCharts.escape(runDir.getFileName() == null ? "run" : runDir.getFileName().toString()))
                .append("</title><style>body{font-family:sans-serif;margin:2em;max-width:1200px}"
                        + "figure{display:inline-block;margin:0 1em 1em 0}img{width:" + TrainingCharts.width() + "px}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                        + "</style></head><body>\n");
        h.append("<h1>Training run ").append(TrainingCharts.escape(runDir.toString())).append("</h1>\n");
        if (steps.isEmpty()) {
            h.append("<p>No steps recorded yet.</p>\n");
        } else {
            JsonNode last = steps.get(steps.size() - 1);
            double seconds = steps.stream().skip(Math.min(1, steps.size() - 1)).mapToDouble(s -> s.path("seconds").asDouble())
                    .average().orElse(0);
            h.append(String.format(Locale.ROOT, "<p>%d steps recorded; last step %d: total loss %.4f, learning rate "
                    + "%.4g; %.2f s/step; RSS %.0f MB.</p>%n", steps.size(), last.path("step").asLong(),
                    last.path("loss_total").asDouble(), last.path("lr").asDouble(), seconds, last.path("rss_mb").asDouble()));
            double[] x = column(steps, "step");
            List<String> names = new ArrayList<>();
            List<double[]> xs = new ArrayList<>();
            List<double[]> ys = new ArrayList<>();
            for (String l : lossKeys(steps.get(0))) {
                names.add(l);
                xs.add(x);
                ys.add(column(steps, l));
            }
            figure(h, TrainingCharts.lines("Losses", "step", "loss", names, xs, ys, false));
            figure(h, TrainingCharts.lines("Learning rate", "step", "learning rate", List.of("lr"), List.of(x),
                    List.of(column(steps, "lr")), false));
            figure(h, TrainingCharts.lines("Memory", "step", "RSS (MB)", List.of("rss_mb"), List.of(x),
                    List.of(column(steps, "rss_mb")), false));
        }
        if (!evals.isEmpty()) {
            double[] x = column(evals, "step");
            List<String> names = new ArrayList<>();
            List<double[]> xs = new ArrayList<>();
            List<double[]> ys = new ArrayList<>();
            for (String a : AP) {
                if (evals.get(0).has(a)) {
                    names.add(a);
                    xs.add(x);
                    ys.add(column(evals, a));
                }
            }
            figure(h, TrainingCharts.lines("Validation AP over steps", "step", "AP", names, xs, ys, true));
            h.append("<h2>Evaluations</h2>\n<table><tr><th>step</th>");
            List<String> keys = new ArrayList<>();
            evals.get(evals.size() - 1).fieldNames().forEachRemaining(k -> {
                if (!k.equals("step")) {
                    keys.add(k);
                }
            });
            keys.forEach(k -> h.append("<th>").append(TrainingCharts.escape(k)).append("</th>"));
            h.append("</tr>\n");
            for (JsonNode e : evals) {
                h.append("<tr><td>").append(e.path("step").asLong()).append("</td>");
                keys.forEach(k -> h.append(String.format(Locale.ROOT, "<td>%.4f</td>", e.path(k).asDouble(Double.NaN))));
                h.append("</tr>\n");
            }
            h.append("</table>\n<p>Each row: the checkpoint built into an ONNX package and evaluated like "
                    + "<code>peopleseg evaluate --model</code> (COCO AP at score &ge; 0.05; precision/recall at 0.5). "
                    + "Details in eval/STEP/metrics.json.</p>\n");
        }
        h.append("</body></html>\n");
        Path out = runDir.resolve("report.html");
        AtomicFiles.writeString(out, h.toString());
        return out;
    }

    /** The {@code loss_*} keys of a train.jsonl line, in order, the total last. */
    static List<String> lossKeys(JsonNode step) {
        List<String> keys = new ArrayList<>();
        step.fieldNames().forEachRemaining(k -> {
            if (k.startsWith("loss_") && !k.equals("loss_total")) {
                keys.add(k);
            }
        });
        keys.add("loss_total");
        return keys;
    }

    private static void figure(StringBuilder h, String dataUri) {
        h.append("<figure><img src=\"").append(dataUri).append("\"></figure>\n");
    }

    private static double[] column(List<JsonNode> rows, String key) {
        double[] v = new double[rows.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rows.get(i).path(key).asDouble(Double.NaN);
        }
        return v;
    }
}
