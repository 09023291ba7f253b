package org.peopleseg.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peopleseg.core.eval.EvalFixtures.boxOnly;
import static org.peopleseg.core.eval.EvalFixtures.det;
import static org.peopleseg.core.eval.EvalFixtures.image;
import static org.peopleseg.core.eval.EvalFixtures.maskDet;
import static org.peopleseg.core.eval.EvalFixtures.person;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;

class MetricsReportTest {

    @Test
    void writesTheDocumentedSchema(@TempDir Path dir) throws IOException {
        CocoDataset gt = EvalFixtures.dataset(List.of(image(1, Map.of("camera_height", "5ft")),
                image(2, Map.of("camera_height", "10ft")), image(3, Map.of("camera_height", "20ft"))),
                person(1, 1, 0, 0, 100, 100), person(2, 2, 0, 0, 100, 100));
        List<CocoDetection> dts = List.of(maskDet(1, .9, 0, 0, 100, 100), maskDet(2, .3, 0, 0, 100, 100),
                maskDet(2, .8, 120, 120, 50, 50));
        MetricsReport report = MetricsReport.compute(gt, dts, 0.5, "camera_height");
        Path file = dir.resolve("out/metrics.json");
        report.write(file);
        JsonNode json = new ObjectMapper().readTree(Files.readString(file));

        assertEquals(MetricsReport.SCHEMA, json.get("schema").asText());
        assertEquals(3, json.get("images").asInt());
        assertEquals(3, json.get("detections").asInt());
        assertEquals("camera_height", json.get("group_by").asText());
        for (String type : List.of("bbox", "segm")) {
            JsonNode s = json.get(type);
            assertEquals(12, s.get("stats").size());
            assertEquals(CocoEvalResult.STAT_NAMES.get(0), s.get("stat_names").get(0).asText());
            assertEquals(101, s.get("pr_curve").get("recall").size());
            assertEquals(101, s.get("pr_curve").get("precision_iou50").size());
            assertEquals(101, s.get("pr_curve").get("precision_iou75").size());
            assertEquals(101, s.get("sweep").size());
            JsonNode kpi = s.get("kpi");
            assertEquals(List.of("threshold", "iou", "tp", "fp", "fn", "ignored", "precision", "recall", "f1",
                    "accuracy"), fieldNames(kpi));
            // at 0.5: image 1 TP, image 2 FP (.8) and missed person (.3 is below the threshold)
            assertEquals(1, kpi.get("tp").asInt());
            assertEquals(1, kpi.get("fp").asInt());
            assertEquals(1, kpi.get("fn").asInt());
            assertEquals(1.0 / 3, kpi.get("accuracy").asDouble(), 1e-15);
            assertEquals(0.5, kpi.get("iou").asDouble(), 0.0);
            assertTrue(s.get("best_f1").get("f1").asDouble() >= kpi.get("f1").asDouble());
        }
        assertEquals(CocoEvaluator.evaluate(gt, dts, IouType.BBOX).stats()[0], json.get("bbox").get("stats").get(0)
                .asDouble(), 0.0);
        JsonNode groups = json.get("groups");
        assertEquals(List.of("10ft", "20ft", "5ft"), fieldNames(groups));
        assertEquals(1, groups.get("5ft").get("segm").get("tp").asInt());
        JsonNode empty = groups.get("20ft").get("bbox"); // no people, no detections: 0/0 ratios are null
        assertTrue(empty.get("precision").isNull());
        assertTrue(empty.get("recall").isNull());
        assertTrue(empty.get("accuracy").isNull());
    }

    @Test
    void boxOnlyGroundTruthHasNoSegmSectionAndNoGroupsWithoutGrouping() {
        CocoDataset gt = EvalFixtures.dataset(1, boxOnly(1, 1, 0, 0, 100, 100));
        JsonNode json = MetricsReport.compute(gt, List.of(det(1, .9, 0, 0, 100, 100)), 0.5, null).toJson();
        assertTrue(json.has("bbox"));
        assertFalse(json.has("segm"));
        assertTrue(json.get("group_by").isNull());
        assertEquals(0, json.get("groups").size());
        assertTrue(json.get("bbox").get("stats").get(3).asDouble() == -1); // no small objects: -1 as pycocotools
    }

    @Test
    void noDetectionsStillGivesAReport() {
        CocoDataset gt = EvalFixtures.dataset(1, person(1, 1, 0, 0, 100, 100));
        JsonNode json = MetricsReport.compute(gt, List.of(), 0.5, null).toJson();
        assertEquals(0.0, json.get("segm").get("stats").get(0).asDouble(), 0.0); // the ground truth has masks
        // a box-only model's results on the same ground truth: no segm section
        assertFalse(MetricsReport.compute(gt, List.of(det(1, .9, 0, 0, 100, 100)), 0.5, null).toJson().has("segm"));
        assertTrue(json.get("bbox").get("best_f1").isNull());
        assertTrue(json.get("bbox").get("kpi").get("precision").isNull());
        assertEquals(0.0, json.get("bbox").get("kpi").get("recall").asDouble(), 0.0);
    }

    private static List<String> fieldNames(JsonNode o) {
        List<String> out = new java.util.ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
