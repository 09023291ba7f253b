package org.peopleseg.core.eval.mot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-made sequences with hand-computed numbers. Boxes are 10×10 unless said otherwise; "at x" means the box
 * (x, 0, 10, 10), so boxes 10 or more apart do not overlap at all.
 */
class TrackingEvaluatorTest {

    private static MotRecord at(int frame, int id, double x) {
        return MotRecord.of(frame, id, x, 0, 10, 10);
    }

    private static TrackingMetrics eval(List<MotRecord> gt, List<MotRecord> hyp) {
        return TrackingEvaluator.evaluate(MotSequence.of("gt", gt), MotSequence.of("hyp", hyp), 0.5);
    }

    /** Two objects, five frames, found exactly; the tracker's ids (7, 9) need not equal the ground truth's. */
    @Test
    void perfectTracking() {
        List<MotRecord> gt = new ArrayList<>();
        List<MotRecord> hyp = new ArrayList<>();
        for (int f = 1; f <= 5; f++) {
            gt.add(at(f, 1, 10 * f));
            gt.add(at(f, 2, 200 - 10 * f));
            hyp.add(at(f, 9, 10 * f));
            hyp.add(at(f, 7, 200 - 10 * f));
        }
        TrackingMetrics m = eval(gt, hyp);
        ClearMotCounts c = m.clear();
        assertEquals(new ClearMotCounts(5, 10, 10, 10, 0, 0, 0, 0, 2, 2, 0, 0, 0.0), c);
        assertEquals(1.0, m.mota());
        assertEquals(1.0, m.motp());
        assertEquals(new IdentityCounts(10, 0, 0), m.identity());
        assertEquals(1.0, m.idf1());
        assertEquals(new DetectionCounts(10, 0, 0), m.detection());
        assertEquals(2, m.hypIds());
    }

    /**
     * One object, six frames, found every time, but the tracker changes its id from 1 to 2 at frame 4.
     * CLEAR-MOT: 6 matches, 1 switch: MOTA = 1 − 1/6. Identity: the object can be matched to one track only, which
     * covers 3 of its 6 boxes: IDTP 3, IDFN 3, and the other track's 3 boxes are IDFP: IDF1 = 6 / (6 + 3 + 3) = 0.5.
     */
    @Test
    void idSwitchMidSequence() {
        List<MotRecord> gt = new ArrayList<>();
        List<MotRecord> hyp = new ArrayList<>();
        for (int f = 1; f <= 6; f++) {
            gt.add(at(f, 1, 10 * f));
            hyp.add(at(f, f <= 3 ? 1 : 2, 10 * f));
        }
        TrackingMetrics m = eval(gt, hyp);
        assertEquals(6, m.clear().matches());
        assertEquals(1, m.clear().switches());
        assertEquals(0, m.clear().fragmentations());
        assertEquals(1 - 1 / 6.0, m.mota(), 1e-12);
        assertEquals(new IdentityCounts(3, 3, 3), m.identity());
        assertEquals(0.5, m.idf1(), 1e-12);
        assertEquals(0.5, m.identity().idp(), 1e-12);
        assertEquals(0.5, m.identity().idr(), 1e-12);
        assertEquals(1, m.clear().mostlyTracked()); // tracked 6/6 frames, whatever the id
    }

    /**
     * Object 1 over seven frames is tracked (T, by a box shifted 1 px: IoU 90/110) or missed (M) as T T M M T M T:
     * two interruptions that resume, so 2 fragmentations; 4 matches, 3 misses; tracked 4/7 = 0.57: partially
     * tracked. Object 2 is tracked exactly in frame 1 only (T M M M M M M): its interruption never resumes, so no
     * fragmentation; 1 match, 6 misses; tracked 1/7 = 0.14 &lt; 0.2: mostly lost. Together: 14 objects, 5 matches,
     * 9 misses, MOTA = 1 − 9/14; IDTP 5, IDFP 0, IDFN 9, IDF1 = 10/19.
     */
    @Test
    void fragmentedTrack() {
        List<MotRecord> gt = new ArrayList<>();
        List<MotRecord> hyp = new ArrayList<>();
        String pattern = "TTMMTMT";
        for (int f = 1; f <= 7; f++) {
            gt.add(at(f, 1, 10 * f));
            gt.add(at(f, 2, 500));
            if (pattern.charAt(f - 1) == 'T') {
                hyp.add(at(f, 5, 10 * f + 1)); // IoU 90/110 = 0.82
            }
        }
        hyp.add(at(1, 6, 500));
        TrackingMetrics m = eval(gt, hyp);
        ClearMotCounts c = m.clear();
        assertEquals(5, c.matches());
        assertEquals(9, c.misses());
        assertEquals(0, c.falsePositives());
        assertEquals(0, c.switches());
        assertEquals(2, c.fragmentations());
        assertEquals(0, c.mostlyTracked());
        assertEquals(1, c.partiallyTracked());
        assertEquals(1, c.mostlyLost());
        assertEquals(1 - 9 / 14.0, m.mota(), 1e-12);
        assertEquals((4 * (90.0 / 110) + 1) / 5, m.motp(), 1e-12);
        assertEquals(new IdentityCounts(5, 0, 9), m.identity());
        assertEquals(10.0 / 19, m.idf1(), 1e-12); // 2·5 / (2·5 + 0 + 9)
        assertEquals(new DetectionCounts(5, 0, 9), m.detection());
    }

    /** Hypotheses only: 3 false positives in 2 frames; MOTA and recall undefined, precision and IDF1 0. */
    @Test
    void falsePositivesOnly() {
        List<MotRecord> hyp = List.of(at(1, 1, 0), at(1, 2, 50), at(2, 1, 5));
        TrackingMetrics m = eval(List.of(), hyp);
        assertEquals(2, m.clear().frames());
        assertEquals(3, m.clear().falsePositives());
        assertEquals(0, m.clear().misses());
        assertTrue(Double.isNaN(m.mota()));
        assertTrue(Double.isNaN(m.motp()));
        assertEquals(new IdentityCounts(0, 3, 0), m.identity());
        assertEquals(0.0, m.idf1());
        assertEquals(0.0, m.identity().idp());
        assertTrue(Double.isNaN(m.identity().idr()));
        assertEquals(0.0, m.detection().precision());
        assertTrue(Double.isNaN(m.detection().recall()));
    }

    /** Ground truth only: every box missed, MOTA 0 (not negative: no false positives), every object mostly lost. */
    @Test
    void missesOnly() {
        List<MotRecord> gt = List.of(at(1, 1, 0), at(2, 1, 10), at(2, 2, 100), at(3, 2, 110));
        TrackingMetrics m = eval(gt, List.of());
        assertEquals(3, m.clear().frames());
        assertEquals(4, m.clear().misses());
        assertEquals(0.0, m.mota());
        assertEquals(2, m.clear().mostlyLost());
        assertEquals(new IdentityCounts(0, 0, 4), m.identity());
        assertEquals(0.0, m.idf1());
        assertTrue(Double.isNaN(m.identity().idp()));
        assertEquals(0.0, m.detection().recall());
    }

    /**
     * Two objects cross: A moves right (x = 0, 10, 20, 30, 40, 50), B left (60, 50, 40, 31, 20, 10); in frame 4
     * they overlap (A at 30, B at 31: IoU 90/110). Track 1 follows A up to frame 4 and then B; track 2 the other way
     * round: the ids swap at the crossing. Frame 4 keeps the previous pairs (all still pairable, the history rule);
     * in frame 5 neither old pair overlaps, the assignment pairs A-2 and B-1: 2 switches, MOTA = 1 − 2/12.
     * Identity: frame 4 covers every pair (both tracks overlap both objects at ≥ 0.5), so A-1 and B-2 cover 4
     * frames each, A-2 and B-1 3 each. Best matching A-1, B-2: IDTP 8, IDFP 4, IDFN 4, IDF1 = 16/24.
     */
    @Test
    void crossingObjectsSwapIds() {
        double[] ax = {0, 10, 20, 30, 40, 50};
        double[] bx = {60, 50, 40, 31, 20, 10};
        List<MotRecord> gt = new ArrayList<>();
        List<MotRecord> hyp = new ArrayList<>();
        for (int f = 1; f <= 6; f++) {
            gt.add(at(f, 1, ax[f - 1]));
            gt.add(at(f, 2, bx[f - 1]));
            boolean swapped = f >= 5;
            hyp.add(at(f, 1, swapped ? bx[f - 1] : ax[f - 1]));
            hyp.add(at(f, 2, swapped ? ax[f - 1] : bx[f - 1]));
        }
        TrackingMetrics m = eval(gt, hyp);
        assertEquals(12, m.clear().matches());
        assertEquals(2, m.clear().switches());
        assertEquals(1 - 2 / 12.0, m.mota(), 1e-12);
        assertEquals(1.0, m.motp(), 1e-12);
        assertEquals(2, m.clear().mostlyTracked());
        assertEquals(0, m.clear().fragmentations());
        assertEquals(new IdentityCounts(8, 4, 4), m.identity());
        assertEquals(2 / 3.0, m.idf1(), 1e-12);
        assertEquals(new DetectionCounts(12, 0, 0), m.detection());
    }

    /**
     * A ground-truth row with flag 0 is not evaluated: the object on it need not be found, and the hypothesis
     * on it is a false positive (MOT15 / py-motmetrics' min_confidence=1 behaviour). Flag -1 is a normal object.
     * Counted: 2 objects, 2 matches, 1 false positive: MOTA = 1 − 1/2.
     */
    @Test
    void ignoredGroundTruthRow() throws IOException {
        String gtText = """
                1,1,0,0,10,10,-1,-1,-1,-1
                2,1,10,0,10,10,-1,-1,-1,-1
                2,5,100,0,10,10,0,-1,-1,-1
                """;
        String hypText = """
                1 3 0 0 10 10 0.9
                2 3 10 0 10 10 0.8
                2 4 100 0 10 10 0.0
                """;
        MotSequence gt = MotReader.parse("gt.txt", new StringReader(gtText), MotReader.Kind.GROUND_TRUTH);
        MotSequence hyp = MotReader.parse("hyp.txt", new StringReader(hypText), MotReader.Kind.HYPOTHESES);
        assertEquals(2, gt.boxes());
        assertEquals(1, gt.ignoredRows());
        assertEquals(3, hyp.boxes()); // score 0 is kept in tracker output
        TrackingMetrics m = TrackingEvaluator.evaluate(gt, hyp, 0.5);
        assertEquals(2, m.clear().objects());
        assertEquals(2, m.clear().matches());
        assertEquals(1, m.clear().falsePositives());
        assertEquals(0.5, m.mota(), 1e-12);
        assertEquals(1, m.gtIgnored());
        assertEquals(1, m.clear().uniqueObjects());
    }

    /** Both files empty: nothing to count, every ratio undefined. */
    @Test
    void emptyFiles() throws IOException {
        MotSequence gt = MotReader.parse("gt.txt", new StringReader(""), MotReader.Kind.GROUND_TRUTH);
        MotSequence hyp = MotReader.parse("hyp.txt", new StringReader("\n  \n"), MotReader.Kind.HYPOTHESES);
        TrackingMetrics m = TrackingEvaluator.evaluate(gt, hyp, 0.5);
        assertEquals(0, m.clear().frames());
        assertTrue(Double.isNaN(m.mota()));
        assertTrue(Double.isNaN(m.motp()));
        assertTrue(Double.isNaN(m.idf1()));
        assertTrue(Double.isNaN(m.detection().precision()));
        assertTrue(m.toJson().get("mota").isNull());
        assertTrue(m.toJson().get("idf1").isNull());
    }

    /**
     * Box (0,0,10,10) and (0,0,10,5): intersection 50, union 100, IoU exactly 0.5 (exact in binary). A pair needs
     * IoU ≥ the threshold, so it matches at 0.5 and not at 0.51.
     */
    @Test
    void iouExactlyAtThreshold() {
        MotSequence gt = MotSequence.of("gt", List.of(MotRecord.of(1, 1, 0, 0, 10, 10)));
        MotSequence hyp = MotSequence.of("hyp", List.of(MotRecord.of(1, 1, 0, 0, 10, 5)));
        TrackingMetrics at = TrackingEvaluator.evaluate(gt, hyp, 0.5);
        assertEquals(1, at.clear().matches());
        assertEquals(0.5, at.motp());
        assertEquals(1.0, at.mota());
        assertEquals(1.0, at.idf1());
        TrackingMetrics above = TrackingEvaluator.evaluate(gt, hyp, 0.51);
        assertEquals(0, above.clear().matches());
        assertEquals(1, above.clear().misses());
        assertEquals(1, above.clear().falsePositives());
        assertEquals(-1.0, above.mota());
        assertEquals(0.0, above.idf1());
    }

    /** Frames only one file has count: frame 2 has ground truth only (a miss), frame 3 hypotheses only (an FP). */
    @Test
    void framesInOnlyOneFile() {
        List<MotRecord> gt = List.of(at(1, 1, 0), at(2, 1, 10));
        List<MotRecord> hyp = List.of(at(1, 1, 0), at(3, 1, 20));
        TrackingMetrics m = eval(gt, hyp);
        assertEquals(3, m.clear().frames());
        assertEquals(1, m.clear().matches());
        assertEquals(1, m.clear().misses());
        assertEquals(1, m.clear().falsePositives());
        assertEquals(0.0, m.mota(), 1e-12);
    }

    /**
     * The previous frame's pair is kept even though a better one appears: object 1 tracked by track 1 (IoU 0.82),
     * then track 2 lands exactly on it while track 1 is still at IoU 0.82: no switch, track 2 is a false positive.
     */
    @Test
    void historyBeatsABetterNewMatch() {
        List<MotRecord> gt = List.of(at(1, 1, 0), at(2, 1, 0));
        List<MotRecord> hyp = List.of(at(1, 1, 1), at(2, 1, 1), at(2, 2, 0));
        TrackingMetrics m = eval(gt, hyp);
        assertEquals(0, m.clear().switches());
        assertEquals(1, m.clear().falsePositives());
        assertEquals(90.0 / 110, m.motp(), 1e-12);
        // the detection view ignores ids and history, and takes the closer box in frame 2: same counts here
        assertEquals(new DetectionCounts(2, 1, 0), m.detection());
    }

    @Test
    void rejectsThresholdOutOfRange() {
        MotSequence empty = MotSequence.of("x", List.of());
        assertThrows(IllegalArgumentException.class, () -> TrackingEvaluator.evaluate(empty, empty, 0));
        assertThrows(IllegalArgumentException.class, () -> TrackingEvaluator.evaluate(empty, empty, 1.5));
    }
}
