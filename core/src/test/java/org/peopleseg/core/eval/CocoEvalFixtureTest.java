package org.peopleseg.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.peopleseg.core.SharedData;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;
import org.peopleseg.core.dataset.CocoResultsReader;

/**
 * Every case of {@code shared/fixtures/coco-eval} (made with pycocotools): the 12 stats, the PR slices at IoU .50
 * and .75, the recall per IoU threshold and the printed summary must equal pycocotools' (stats to 1e-6 as the issue
 * requires; the report prints the actual maximum deviation, which is expected to be 0). Skipped when the shared
 * directory is absent.
 */
class CocoEvalFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TOLERANCE = 1e-6;

    private static List<Path> caseDirs() throws IOException {
        Path root = SharedData.resolve("fixtures/coco-eval");
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("expected.json"))).sorted().toList();
        }
    }

    @Test
    void defaultParamsAreNumpysExactDoubles() throws IOException {
        for (Path dir : caseDirs()) {
            JsonNode p = JSON.readTree(dir.resolve("expected.json").toFile()).get("params");
            CocoEvalParams d = CocoEvalParams.defaults();
            assertArrayEquals(doubles(p.get("iouThrs")), d.iouThresholds(), 0.0);
            assertArrayEquals(doubles(p.get("recThrs")), d.recallThresholds(), 0.0);
            assertArrayEquals(new int[] {1, 10, 100}, d.maxDetections());
            for (int a = 0; a < 4; a++) {
                assertEquals(p.get("areaRngLbl").get(a).asText(), d.areaRanges().get(a).label());
                assertEquals(p.get("areaRng").get(a).get(0).asDouble(), d.areaRanges().get(a).min(), 0.0);
                assertEquals(p.get("areaRng").get(a).get(1).asDouble(), d.areaRanges().get(a).max(), 0.0);
            }
        }
    }

    @TestFactory
    List<DynamicTest> matchesPycocotools() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : caseDirs()) {
            JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
            CocoDataset gt = CocoDataset.read(dir.resolve(expected.get("gt").get("file").asText()));
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("results").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> res = it.next();
                for (IouType type : IouType.values()) {
                    String name = dir.getFileName() + "/" + res.getKey() + " " + type.cocoName();
                    tests.add(dynamicTest(name, () -> check(name, gt, dir.resolve(res.getKey()),
                            res.getValue().get(type.cocoName()), type)));
                }
            }
        }
        return tests;
    }

    /**
     * The card's KPIs have no reference implementation; these counts (boxes, score >= 0.5, IoU > 0.5) come from an
     * independent 30-line Python re-implementation of the rule run on the same files while writing this test.
     */
    @Test
    void kpiCountsMatchAnIndependentCount() throws IOException {
        Path dir = SharedData.resolve("fixtures/coco-eval/dev");
        CocoDataset gt = CocoDataset.read(dir.resolve("gt.json"));
        Map<String, long[]> expected = Map.of("results_good.json", new long[] {840, 117, 157, 14},
                "results_poor.json", new long[] {440, 153, 557, 12});
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            Kpi k = KpiMatcher.match(gt, CocoResultsReader.read(dir.resolve(e.getKey()), gt), IouType.BBOX).at(0.5);
            assertArrayEquals(e.getValue(), new long[] {k.tp(), k.fp(), k.fn(), k.ignored()}, e.getKey());
        }
    }

    private static void check(String name, CocoDataset gt, Path results, JsonNode expected, IouType type)
            throws IOException {
        List<CocoDetection> dts = CocoResultsReader.read(results, gt);
        long t0 = System.nanoTime();
        CocoEvalResult r = CocoEvaluator.evaluate(gt, dts, type);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        double[] want = doubles(expected.get("stats"));
        double[] got = r.stats();
        double maxDev = 0;
        for (int i = 0; i < want.length; i++) {
            maxDev = Math.max(maxDev, Math.abs(want[i] - got[i]));
        }
        System.out.printf("[coco-eval fixture] %s: %d detections, %d ms, max |stat - pycocotools| = %s%n", name,
                dts.size(), ms, maxDev);
        assertArrayEquals(want, got, TOLERANCE, name + " stats");
        assertArrayEquals(doubles(expected.get("precision_iou50_all_maxdet100")), r.precisionCurve(0.5), TOLERANCE,
                name + " precision at IoU .50");
        assertArrayEquals(doubles(expected.get("precision_iou75_all_maxdet100")), r.precisionCurve(0.75), TOLERANCE,
                name + " precision at IoU .75");
        assertArrayEquals(doubles(expected.get("recall_all_maxdet100_per_iou")), r.recallPerIouThreshold(),
                TOLERANCE, name + " recall per IoU threshold");
        assertEquals(expected.get("summary_text").asText().strip(), r.summaryText().strip(), name + " summary");
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }
}
