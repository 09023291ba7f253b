package org.peopleseg.core.eval.mot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Cases and expected numbers of py-motmetrics' own unit tests (github.com/cheind/py-motmetrics, MIT licence:
 * motmetrics/tests/test_metrics.py, test_mot.py, test_distances.py), re-stated here on the generic per-frame input
 * (ids and a distance matrix, NaN = not pairable) that py-motmetrics' {@code MOTAccumulator.update} takes.
 *
 * <p>Convention differences, checked explicitly below: py-motmetrics' {@code num_matches} counts MATCH events only,
 * while our {@code matches} includes switches (py-motmetrics' {@code num_detections}); py-motmetrics' {@code motp} is
 * the mean distance, which {@link ClearMotCounts#meanDistance()} returns (for boxes {@link TrackingMetrics#motp()}
 * reports 1 − that, the mean IoU).
 */
class PyMotmetricsCasesTest {
    private static final double NAN = Double.NaN;

    /** Feeds all three accumulators like {@link TrackingEvaluator} does. */
    private static final class Acc {
        final ClearMotAccumulator clear = new ClearMotAccumulator();
        final IdentityAccumulator identity = new IdentityAccumulator();
        final DetectionAccumulator detection = new DetectionAccumulator();

        Acc update(int[] gt, int[] hyp, double[][] d) {
            clear.update(gt, hyp, d);
            identity.update(gt, hyp, d);
            detection.update(gt, hyp, d);
            return this;
        }
    }

    private static int[] ids(int... ids) {
        return ids;
    }

    private static double[][] none(int rows) {
        return new double[rows][0];
    }

    /** test_metrics.py::test_mota_motp and test_mot.py::test_events (same five frames plus an empty one). */
    @Test
    void motaMotp() {
        Acc acc = new Acc();
        acc.update(ids(), ids(1, 2), none(0));                                   // all FP
        acc.update(ids(1, 2), ids(), none(2));                                   // all miss
        acc.update(ids(1, 2), ids(1, 2), new double[][] {{1, 0.5}, {0.3, 1}});   // match 1-2 (0.5), 2-1 (0.3)
        acc.update(ids(1, 2), ids(1, 2), new double[][] {{0.2, NAN}, {NAN, 0.1}}); // both switch
        // better new pairs (1) exist, but the previous frame's pairs (5) are still pairable and are kept
        acc.update(ids(1, 2), ids(1, 2), new double[][] {{5, 1}, {1, 5}});
        acc.update(ids(), ids(), none(0));                                       // no data
        ClearMotCounts c = acc.clear.counts();
        // py-motmetrics: num_matches 4 + num_switches 2 = num_detections 6
        assertEquals(6, c.matches());
        assertEquals(2, c.switches());
        assertEquals(2, c.falsePositives());
        assertEquals(2, c.misses());
        assertEquals(8, c.objects());
        assertEquals(8, c.predictions());
        assertEquals(6, c.frames());
        assertEquals(1.0 - (2 + 2 + 2) / 8.0, c.mota(), 1e-12);
        assertEquals(11.1 / 6, c.meanDistance(), 1e-12); // 0.5 + 0.3 + 0.2 + 0.1 + 5 + 5
    }

    /**
     * test_metrics.py::test_extract_counts, same frames: py-motmetrics' pair counts are (1,1): 3, (1,2): 2,
     * (2,1): 2, (2,2): 3 and 4 boxes per id. The global matching 1-1, 2-2 therefore covers 6 of 8 boxes each side:
     * IDTP 6, IDFP 2, IDFN 2, IDF1 12/16 (derived by hand from their counts; their test stops at the counts).
     */
    @Test
    void identityFromExtractCounts() {
        Acc acc = new Acc();
        acc.update(ids(), ids(1, 2), none(0));
        acc.update(ids(1, 2), ids(), none(2));
        acc.update(ids(1, 2), ids(1, 2), new double[][] {{1, 0.5}, {0.3, 1}});
        acc.update(ids(1, 2), ids(1, 2), new double[][] {{0.2, NAN}, {NAN, 0.1}});
        acc.update(ids(1, 2), ids(1, 2), new double[][] {{5, 1}, {1, 5}});
        acc.update(ids(), ids(), none(0));
        IdentityCounts id = acc.identity.counts();
        assertEquals(new IdentityCounts(6, 2, 2), id);
        assertEquals(0.75, id.idf1(), 1e-12);
    }

    /** test_metrics.py::test_ids: 10 matches of which 3 switches, MOTA 0.7, mean distance 1.6 / 10. */
    @Test
    void switchesIncludingAnObjectMatchedToANewHypothesis() {
        Acc acc = new Acc();
        acc.update(ids(), ids(), none(0));
        acc.update(ids(1, 2), ids(1, 2), new double[][] {{1, 0}, {0, 1}});        // 1-2, 2-1
        acc.update(ids(1, 2), ids(1, 2), new double[][] {{0.4, NAN}, {NAN, 0.4}}); // 1-1, 2-2: 2 switches
        acc.update(ids(1, 2), ids(1, 2), new double[][] {{0, 1}, {1, 0}});        // kept
        acc.update(ids(1, 2), ids(2, 3), new double[][] {{1, 0}, {0.4, 0.7}});    // 2-2 kept, 1-3: switch
        acc.update(ids(1, 3), ids(2, 3), new double[][] {{1, 0}, {0.4, 0.7}});    // 1-3 kept, new 3-2: no switch
        acc.update(ids(), ids(), none(0));
        ClearMotCounts c = acc.clear.counts();
        assertEquals(10, c.matches()); // py-motmetrics: num_matches 7 + num_switches 3
        assertEquals(3, c.switches());
        assertEquals(0, c.falsePositives());
        assertEquals(0, c.misses());
        assertEquals(10, c.objects());
        assertEquals(7, c.frames());
        assertEquals(0.7, c.mota(), 1e-12);
        assertEquals(1.6 / 10, c.meanDistance(), 1e-12);
    }

    /** test_metrics.py::test_correct_average (figure 3 of the CLEAR-MOT paper): MOTA 0.2, not a mean of frames. */
    @Test
    void motaIsNotAnAverageOfFrames() {
        Acc acc = new Acc();
        for (int f = 0; f < 4; f++) {
            acc.update(ids(1, 2, 3, 4), ids(), none(4));
        }
        for (int f = 0; f < 4; f++) {
            acc.update(ids(4), ids(4), new double[][] {{0}});
        }
        assertEquals(0.2, acc.clear.counts().mota(), 1e-12); // 1 - 16 / 20
    }

    /** test_metrics.py::test_assignment_metrics_with_empty_groundtruth / _predictions / _both_empty. */
    @Test
    void emptySides() {
        Acc fpOnly = new Acc();
        Acc missOnly = new Acc();
        Acc nothing = new Acc();
        for (int f = 0; f < 4; f++) {
            fpOnly.update(ids(), ids(1, 2, 3, 4), none(0));
            missOnly.update(ids(1, 2, 3, 4), ids(), none(4));
            nothing.update(ids(), ids(), none(0));
        }
        ClearMotCounts a = fpOnly.clear.counts();
        assertEquals(0, a.matches());
        assertEquals(16, a.falsePositives());
        assertEquals(0, a.misses());
        assertEquals(4, a.frames());
        assertEquals(new IdentityCounts(0, 16, 0), fpOnly.identity.counts());
        assertTrue(Double.isNaN(a.mota()), "no ground truth: MOTA undefined (py-motmetrics: nan)");

        ClearMotCounts b = missOnly.clear.counts();
        assertEquals(16, b.misses());
        assertEquals(0, b.falsePositives());
        assertEquals(new IdentityCounts(0, 0, 16), missOnly.identity.counts());

        ClearMotCounts c = nothing.clear.counts();
        assertEquals(4, c.frames());
        assertEquals(0, c.matches() + c.misses() + c.falsePositives());
        assertEquals(new IdentityCounts(0, 0, 0), nothing.identity.counts());
        assertTrue(Double.isNaN(c.mota()));
        assertTrue(Double.isNaN(c.meanDistance()));
    }

    /**
     * test_distances.py::test_iou_matrix: box [0,0,1,2] (x,y,w,h) against five boxes has distances
     * 1 − IoU = 0, 0.5, 1, 0.8, 0.5, and with py-motmetrics' max_iou=0.5 (our IoU threshold 0.5) the pairs at
     * distance 0.5 — IoU exactly 0.5 — are still pairable while 1 and 0.8 are not. One frame per candidate box.
     */
    @Test
    void iouMatrixAndTheThresholdBoundary() {
        MotRecord a = MotRecord.of(1, 1, 0, 0, 1, 2);
        double[][] b = {{0, 0, 1, 2}, {0, 0, 1, 1}, {1, 1, 1, 1}, {0.5, 0, 1, 1}, {0, 1, 1, 1}};
        double[] expected = {0, 0.5, 1, 0.8, 0.5};
        java.util.List<MotRecord> gt = new java.util.ArrayList<>();
        java.util.List<MotRecord> hyp = new java.util.ArrayList<>();
        for (int k = 0; k < b.length; k++) {
            MotRecord h = MotRecord.of(k + 1, 1, b[k][0], b[k][1], b[k][2], b[k][3]);
            assertEquals(expected[k], 1 - a.box().iou(h.box()), 1e-4);
            gt.add(MotRecord.of(k + 1, 1, 0, 0, 1, 2));
            hyp.add(h);
        }
        TrackingMetrics m = TrackingEvaluator.evaluate(MotSequence.of("gt", gt), MotSequence.of("hyp", hyp), 0.5);
        assertEquals(3, m.clear().matches()); // distances 0, 0.5, 0.5
        assertEquals(2, m.clear().misses());
        assertEquals(2, m.clear().falsePositives());
        assertEquals((1 + 0.5 + 0.5) / 3, m.motp(), 1e-12);
    }
}
