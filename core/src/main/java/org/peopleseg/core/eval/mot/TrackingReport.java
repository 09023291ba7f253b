package org.peopleseg.core.eval.mot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.peopleseg.core.io.AtomicFiles;

/**
 * The tracking evaluation of one or more sequences, as {@code peopleseg evaluate-tracks} prints and writes it.
 *
 * <h2>JSON, schema {@value #SCHEMA}</h2>
 * <pre>
 * {
 *   "schema": "peopleseg.tracking/1",
 *   "iou": 0.5,
 *   "sequences": [ {"name": ..., "ground_truth": FILE, "tracks": FILE, "metrics": METRICS}, ... ],
 *   "overall": METRICS           counts summed over the sequences, ratios recomputed (py-motmetrics' OVERALL)
 * }
 * </pre>
 * METRICS is {@link TrackingMetrics#toJson()}. Field names and meanings are stable; later versions may add fields.
 */
public final class TrackingReport {
    public static final String SCHEMA = "peopleseg.tracking/1";

    /** One evaluated pair of files. */
    public record Sequence(String name, String groundTruth, String tracks, TrackingMetrics metrics) {
    }

    private final List<Sequence> sequences;

    public TrackingReport(List<Sequence> sequences) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("no sequences");
        }
        this.sequences = List.copyOf(sequences);
    }

    public List<Sequence> sequences() {
        return sequences;
    }

    public TrackingMetrics overall() {
        TrackingMetrics sum = sequences.get(0).metrics();
        for (int i = 1; i < sequences.size(); i++) {
            sum = sum.plus(sequences.get(i).metrics());
        }
        return sum;
    }

    public ObjectNode toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("iou", sequences.get(0).metrics().iouThreshold());
        ArrayNode list = root.putArray("sequences");
        for (Sequence s : sequences) {
            ObjectNode n = list.addObject();
            n.put("name", s.name());
            n.put("ground_truth", s.groundTruth());
            n.put("tracks", s.tracks());
            n.set("metrics", s.metrics().toJson());
        }
        root.set("overall", overall().toJson());
        return root;
    }

    /** Writes the JSON atomically (pretty-printed, UTF-8). */
    public void write(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.writeString(file, mapper.writeValueAsString(toJson()) + "\n");
    }

    /** A fixed-width table, one row per sequence plus OVERALL when there are several; "-" where undefined. */
    public String table() {
        String[] head = {"", "Frames", "GT", "GT IDs", "MOTA", "MOTP", "IDF1", "IDP", "IDR", "IDSW", "FP", "FN",
            "MT", "PT", "ML", "Frag", "Det P", "Det R"};
        List<String[]> rows = new ArrayList<>();
        rows.add(head);
        for (Sequence s : sequences) {
            rows.add(row(s.name(), s.metrics()));
        }
        if (sequences.size() > 1) {
            rows.add(row("OVERALL", overall()));
        }
        int[] width = new int[head.length];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                if (c == 0) {
                    sb.append(r[c]).append(" ".repeat(width[c] - r[c].length()));
                } else {
                    sb.append("  ").append(" ".repeat(width[c] - r[c].length())).append(r[c]);
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String[] row(String name, TrackingMetrics m) {
        ClearMotCounts c = m.clear();
        return new String[] {name, Integer.toString(c.frames()), Integer.toString(c.objects()),
            Integer.toString(c.uniqueObjects()), percent(m.mota()),
            Double.isNaN(m.motp()) ? "-" : String.format(Locale.ROOT, "%.3f", m.motp()),
            percent(m.identity().idf1()), percent(m.identity().idp()), percent(m.identity().idr()),
            Integer.toString(c.switches()), Integer.toString(c.falsePositives()), Integer.toString(c.misses()),
            Integer.toString(c.mostlyTracked()), Integer.toString(c.partiallyTracked()),
            Integer.toString(c.mostlyLost()), Integer.toString(c.fragmentations()),
            percent(m.detection().precision()), percent(m.detection().recall())};
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
