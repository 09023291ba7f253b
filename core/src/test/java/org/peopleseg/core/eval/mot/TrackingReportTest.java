package org.peopleseg.core.eval.mot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackingReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TrackingMetrics metrics(List<MotRecord> gt, List<MotRecord> hyp) {
        return TrackingEvaluator.evaluate(MotSequence.of("gt", gt), MotSequence.of("hyp", hyp), 0.5);
    }

    @Test
    void overallSumsCountsAndRecomputesRatios(@TempDir Path dir) throws IOException {
        // a: one perfect match; b: one miss and one false positive in different frames
        TrackingMetrics a = metrics(List.of(MotRecord.of(1, 1, 0, 0, 10, 10)), List.of(MotRecord.of(1, 1, 0, 0, 10, 10)));
        TrackingMetrics b = metrics(List.of(MotRecord.of(1, 1, 0, 0, 10, 10)), List.of(MotRecord.of(2, 1, 0, 0, 10, 10)));
        TrackingReport report = new TrackingReport(List.of(new TrackingReport.Sequence("a", "a/gt.txt", "a/t.txt", a),
                new TrackingReport.Sequence("b", "b/gt.txt", "b/t.txt", b)));
        TrackingMetrics overall = report.overall();
        assertEquals(3, overall.clear().frames());
        assertEquals(2, overall.clear().objects());
        assertEquals(0.0, overall.mota(), 1e-12); // 1 - (1 + 1) / 2
        assertEquals(new IdentityCounts(1, 1, 1), overall.identity());

        Path file = dir.resolve("metrics.json");
        report.write(file);
        JsonNode root = JSON.readTree(file.toFile());
        assertEquals(TrackingReport.SCHEMA, root.get("schema").asText());
        assertEquals(0.5, root.get("iou").asDouble());
        assertEquals(2, root.get("sequences").size());
        assertEquals("b/t.txt", root.get("sequences").get(1).get("tracks").asText());
        JsonNode mb = root.get("sequences").get(1).get("metrics");
        assertEquals(-1.0, mb.get("mota").asDouble());
        assertTrue(mb.get("motp").isNull());
        assertEquals(1, mb.get("misses").asInt());
        assertEquals(1, mb.get("false_positives").asInt());
        assertEquals(0.0, mb.get("detection").get("recall").asDouble());
        assertEquals(0.0, root.get("overall").get("mota").asDouble());
        assertEquals(0.5, root.get("overall").get("idf1").asDouble(), 1e-12);

        String table = report.table();
        assertTrue(table.lines().anyMatch(l -> l.startsWith("OVERALL")), table);
        assertTrue(table.contains("MOTA") && table.contains("IDF1") && table.contains("Frag"), table);
        assertTrue(table.lines().filter(l -> l.startsWith("b ")).findFirst().orElseThrow().contains("-100.0%"), table);
    }

    /** The record serialises through Jackson as the documented object, not as its Java components. */
    @Test
    void jacksonSerialisesTheRecordAsItsJson() throws IOException {
        TrackingMetrics m = metrics(List.of(), List.of());
        JsonNode node = JSON.readTree(JSON.writeValueAsString(m));
        assertEquals(m.toJson(), node);
        assertTrue(node.get("mota").isNull());
        assertEquals(0, node.get("frames").asInt());
    }

    @Test
    void singleSequenceHasNoOverallRow() {
        TrackingMetrics m = metrics(List.of(MotRecord.of(1, 1, 0, 0, 10, 10)), List.of());
        String table = new TrackingReport(List.of(new TrackingReport.Sequence("seq", "g", "t", m))).table();
        assertEquals(2, table.lines().count(), table);
        assertTrue(table.lines().skip(1).findFirst().orElseThrow().contains(" - "), table); // MOTP undefined
    }
}
