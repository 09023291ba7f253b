package org.peopleseg.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peopleseg.core.eval.EvalFixtures.boxOnly;
import static org.peopleseg.core.eval.EvalFixtures.crowd;
import static org.peopleseg.core.eval.EvalFixtures.dataset;
import static org.peopleseg.core.eval.EvalFixtures.det;
import static org.peopleseg.core.eval.EvalFixtures.maskDet;
import static org.peopleseg.core.eval.EvalFixtures.person;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peopleseg.core.dataset.CocoAnnotation;
import org.peopleseg.core.dataset.CocoBox;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;

/**
 * One hand-built case per COCOeval rule, with the expected numbers worked out by hand from pycocotools' algorithm
 * (comments show the arithmetic). Stats order: AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl.
 * Comparisons allow 1e-12 because pycocotools' precision is {@code tp / (tp + fp + eps)}: one true positive alone
 * scores {@code 1 / (1 + 2^-52) = 0.9999999999999998}, not 1 (the fixture test checks such bits exactly).
 */
class CocoEvaluatorRulesTest {
    private static final int AP = 0, AP50 = 1, AP75 = 2, APS = 3, APM = 4, APL = 5, AR1 = 6, AR100 = 8;

    private static double[] stats(CocoDataset gt, List<CocoDetection> dts) {
        return CocoEvaluator.evaluate(gt, dts, IouType.BBOX).stats();
    }

    /** Per-image evaluation (area "all") of image {@code imageIndex} (ascending id order). */
    private static ImageEvaluation imageEval(CocoDataset gt, List<CocoDetection> dts, int imageIndex) {
        EvalInput in = EvalInput.prepare(gt, dts, IouType.BBOX);
        return CocoEvaluator.evaluateImages(in, CocoEvalParams.defaults())[0][imageIndex];
    }

    @Test
    void perfectDetectionsScoreOneAndEmptyAreaRangesMinusOne() {
        CocoDataset gt = dataset(2, person(1, 1, 10, 10, 100, 100), person(2, 2, 50, 50, 120, 90));
        List<CocoDetection> dts = List.of(det(1, .9, 10, 10, 100, 100), det(2, .8, 50, 50, 120, 90));
        double[] expected = {1, 1, 1, -1, -1, 1, 1, 1, 1, -1, -1, 1};
        assertArrayEquals(expected, stats(gt, dts), 1e-12);
        List<CocoDetection> masks = List.of(maskDet(1, .9, 10, 10, 100, 100), maskDet(2, .8, 50, 50, 120, 90));
        assertArrayEquals(expected, CocoEvaluator.evaluate(gt, masks, IouType.SEGM).stats(), 1e-12);
    }

    @Test
    void detectionsInsideACrowdRegionAreIgnored() {
        // crowd IoU = intersection / detection area = 1 for boxes inside the region, so they match it, and a
        // detection matched to an ignored (crowd) ground truth is ignored; a crowd region can absorb many detections
        CocoDataset gt = dataset(1, person(1, 1, 10, 10, 100, 100), crowd(2, 1, 120, 0, 80, 200));
        List<CocoDetection> dts = List.of(det(1, .95, 130, 20, 40, 100), det(1, .9, 10, 10, 100, 100),
                det(1, .97, 140, 130, 30, 50));
        // AR@1 is 0: the ignored top detection still takes the only maxDets=1 slot
        assertArrayEquals(new double[] {1, 1, 1, -1, -1, 1, 0, 1, 1, -1, -1, 1}, stats(gt, dts), 1e-12);
        ImageEvaluation e = imageEval(gt, dts, 0);
        int d = e.detectionCount();
        for (int t = 0; t < 10; t++) {
            // order by score: .97 (crowd), .95 (crowd), .9 (person)
            assertEquals(2, e.matchedGtIds[t * d]);
            assertTrue(e.ignored[t * d]);
            assertEquals(2, e.matchedGtIds[t * d + 1]);
            assertTrue(e.ignored[t * d + 1]);
            assertEquals(1, e.matchedGtIds[t * d + 2]);
            assertFalse(e.ignored[t * d + 2]);
        }
        assertEquals(1, e.groundTruthsCounted);

        // control: the same region as an ordinary person makes the higher-scored detections count against AP
        CocoDataset notCrowd = dataset(1, person(1, 1, 10, 10, 100, 100), person(2, 1, 120, 0, 80, 200));
        assertTrue(stats(notCrowd, dts)[AP] < 0.5);
    }

    @Test
    void aMatchToARegularObjectStopsAtTheFirstIgnoredOne() {
        // regular R (IoU .9) is visited before crowd C (crowd IoU 1.0): once matched to a non-ignored ground truth
        // the search breaks at the first ignored one, so the detection stays a true positive
        CocoDataset gt = dataset(1, crowd(2, 1, 0, 0, 100, 100), person(1, 1, 0, 0, 100, 100));
        List<CocoDetection> dts = List.of(det(1, .9, 0, 0, 100, 90));
        ImageEvaluation e = imageEval(gt, dts, 0);
        for (int t = 0; t < 10; t++) {
            boolean above = CocoEvalParams.defaults().iouThresholds()[t] <= 0.9;
            assertEquals(above ? 1 : 2, e.matchedGtIds[t], "t=" + t); // below .9: only the crowd region matches
            assertEquals(!above, e.ignored[t], "t=" + t);
        }
        // AP: thresholds .5 .. .9 give 1; .95 has no counted detection, so precision 0 at every recall
        assertEquals(0.9, stats(gt, dts)[AP], 1e-15);
    }

    @Test
    void equalIouMovesTheMatchToTheLaterGroundTruth() {
        CocoDataset gt = dataset(1, person(7, 1, 0, 0, 100, 100), person(8, 1, 0, 0, 100, 100));
        ImageEvaluation e = imageEval(gt, List.of(det(1, .9, 0, 0, 100, 100)), 0);
        assertEquals(8, e.matchedGtIds[0]); // pycocotools skips only IoU < best, so a tie goes to the later one
    }

    @Test
    void duplicateDetectionsAreFalsePositives() {
        // GT 100x100; "dup" 100x72 (IoU .72) scored .9, "good" 100x96 (IoU .96) scored .8.
        // t <= .70: dup is the TP, good a duplicate FP -> precision 1 at recall 1 -> AP 1
        // t >= .75: dup FP then good TP -> precision [0, .5] made monotone [.5, .5] -> AP .5
        CocoDataset gt = dataset(1, person(1, 1, 0, 0, 100, 100));
        double[] s = stats(gt, List.of(det(1, .9, 0, 0, 100, 72), det(1, .8, 0, 0, 100, 96)));
        assertEquals(0.75, s[AP], 1e-12);
        assertEquals(1.0, s[AP50], 1e-12);
        assertEquals(0.5, s[AP75], 1e-12);
        assertEquals(0.5, s[AR1], 1e-12); // only "dup" within maxDets=1: recall 1 for 5 thresholds of 10
        assertEquals(1.0, s[AR100], 1e-12);
        // the better box first: the duplicate comes after recall 1 is reached and costs nothing
        assertEquals(1.0, stats(gt, List.of(det(1, .9, 0, 0, 100, 96), det(1, .8, 0, 0, 100, 72)))[AP], 1e-12);
    }

    @Test
    void equalScoresKeepListOrderWithinAnImageAndImageOrderAcrossImages() {
        CocoDataset gt = dataset(2, person(1, 1, 0, 0, 100, 100), person(2, 2, 0, 0, 100, 100));
        CocoDetection tp1 = det(1, .5, 0, 0, 100, 100);
        CocoDetection fp1 = det(1, .5, 120, 120, 60, 60);
        CocoDetection tp2 = det(2, .5, 0, 0, 100, 100);
        // within image 1, list order decides who comes first: FP first -> precisions 0, .5, .67 -> AP at recall
        // points: r <= .5 -> .67 (monotone max from the right) ... so list order changes AP
        double fpFirst = stats(gt, List.of(fp1, tp1, tp2))[AP];
        double tpFirst = stats(gt, List.of(tp1, fp1, tp2))[AP];
        // tp1, fp1, tp2: pr = [1, .5, .667] -> monotone [1, .667, .667]; rc = [.5, .5, 1]
        //   r <= .5 -> 1 (51 points), r > .5 -> .667 (50 points)
        assertEquals((51 + 50 * (2 / (3 + Math.ulp(1.0)))) / 101, tpFirst, 1e-12);
        // fp1, tp1, tp2: pr = [0, .5, .667] -> [.667, .667, .667]
        assertEquals(2 / (3 + Math.ulp(1.0)), fpFirst, 1e-12);
        // across images the concatenation is in ascending image id order before the stable sort, so the list
        // position of image 2's detection does not matter
        assertEquals(tpFirst, stats(gt, List.of(tp2, tp1, fp1))[AP], 1e-12);
    }

    @Test
    void detectionsOnImagesWithoutGroundTruthAreFalsePositives() {
        // image 2 has no people: its .9 detection ranks first and is a FP -> precision [0, .5] -> [.5, .5]
        CocoDataset gt = dataset(3, person(1, 1, 0, 0, 100, 100));
        double[] s = stats(gt, List.of(det(1, .5, 0, 0, 100, 100), det(2, .9, 10, 10, 50, 50)));
        assertEquals(0.5 / (1 + Math.ulp(1.0)) * 1, s[AP], 1e-15);
        assertEquals(1.0, s[AR100], 1e-12);
    }

    @Test
    void groundTruthWithoutDetectionsLowersRecall() {
        // 2 objects, 1 found: rc = [.5] -> precision 1 for the 51 recall points <= .5, then 0 -> AP = 51/101
        CocoDataset gt = dataset(2, person(1, 1, 0, 0, 100, 100), person(2, 2, 0, 0, 100, 100));
        double[] s = stats(gt, List.of(det(1, .9, 0, 0, 100, 100)));
        assertEquals(510.0 / 1010, s[AP], 1e-12);
        assertEquals(0.5, s[AR100], 1e-12);
    }

    @Test
    void emptyResultsGiveZeroWhereThereIsGroundTruthAndMinusOneElsewhere() {
        CocoDataset gt = dataset(2, person(1, 1, 0, 0, 100, 100));
        assertArrayEquals(new double[] {0, 0, 0, -1, -1, 0, 0, 0, 0, -1, -1, 0}, stats(gt, List.of()), 1e-12);
        double[] none = new double[12];
        java.util.Arrays.fill(none, -1);
        assertArrayEquals(none, stats(dataset(2), List.of()), 1e-12);
        assertArrayEquals(none, stats(dataset(2), List.of(det(1, .9, 0, 0, 10, 10))), 1e-12);
    }

    @Test
    void areaRangesUseTheAreaFieldAndIgnoreUnmatchedDetectionsOutsideTheRange() {
        // a medium object (50x50 = 2500) found, plus a small FP (10x10) scored higher
        CocoDataset gt = dataset(1, person(1, 1, 0, 0, 50, 50));
        double[] s = stats(gt, List.of(det(1, .5, 0, 0, 50, 50), det(1, .9, 150, 150, 10, 10)));
        assertEquals(0.5 / (1 + Math.ulp(1.0)), s[AP], 1e-15); // area all: the FP counts
        assertEquals(1.0, s[APM], 1e-12); // medium: the small unmatched FP is ignored
        assertEquals(-1.0, s[APS], 1e-12); // no small ground truth
        // the range is decided by the 'area' field (500: small), not by the box (100x100)
        CocoDataset small = dataset(1, new CocoAnnotation(1, 1, 1, new CocoBox(0, 0, 100, 100), 500, false, null));
        double[] t = stats(small, List.of(det(1, .9, 0, 0, 100, 100)));
        assertEquals(1.0, t[APS], 1e-12);
        assertEquals(-1.0, t[APL], 1e-12);
    }

    @Test
    void onlyTheTopMaxDetsDetectionsPerImageCount() {
        CocoDataset gt = dataset(1, person(1, 1, 0, 0, 100, 100));
        List<CocoDetection> dts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            dts.add(det(1, .9 - i * 1e-4, 150, 150, 20, 20));
        }
        dts.add(det(1, .1, 0, 0, 100, 100)); // the true positive ranks 101st: dropped
        assertEquals(0.0, stats(gt, dts)[AP], 1e-12);
        assertEquals(0.0, stats(gt, dts)[AR100], 1e-12);
        dts.remove(0); // now it ranks 100th: precision 1/100 at recall 1
        assertEquals(0.01, stats(gt, dts)[AP], 1e-12);
        assertEquals(1.0, stats(gt, dts)[AR100], 1e-12);
    }

    @Test
    void detectionsOfOtherCategoriesAreNotEvaluated() {
        CocoDataset gt = dataset(1, person(1, 1, 0, 0, 100, 100));
        CocoDetection car = CocoDetection.of(1, 3, new CocoBox(120, 120, 50, 50), .99, null);
        assertEquals(1.0, stats(gt, List.of(car, det(1, .5, 0, 0, 100, 100)))[AP], 1e-12);
    }

    @Test
    void unknownImageIdsAreAnErrorNamingThem() {
        CocoDataset gt = dataset(2, person(1, 1, 0, 0, 100, 100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CocoEvaluator.evaluate(gt,
                List.of(det(1, .9, 0, 0, 10, 10), det(42, .9, 0, 0, 10, 10), det(7, .8, 0, 0, 10, 10)),
                IouType.BBOX));
        assertTrue(e.getMessage().contains("7, 42 (2 ids)"), e.getMessage());
    }

    @Test
    void boxOnlyGroundTruthEvaluatesBoxesAndRefusesMasks() {
        CocoDataset gt = dataset(1, boxOnly(1, 1, 0, 0, 100, 100));
        assertFalse(gt.hasMasks());
        assertEquals(1.0, stats(gt, List.of(det(1, .9, 0, 0, 100, 100)))[AP], 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CocoEvaluator.evaluate(gt, List.of(det(1, .9, 0, 0, 100, 100)), IouType.SEGM));
        assertTrue(e.getMessage().contains("annotation id 1"), e.getMessage());
    }

    @Test
    void segmWithBoxOnlyDetectionsUsesTheRasterisedBox() {
        // as pycocotools' loadRes: a detection without a mask gets its box as polygon
        CocoDataset gt = dataset(1, person(1, 1, 10, 10, 100, 100));
        assertEquals(1.0, CocoEvaluator.evaluate(gt, List.of(det(1, .9, 10, 10, 100, 100)), IouType.SEGM)
                .stats()[AP], 1e-12);
    }

    @Test
    void summaryTextLooksLikePycocotools() {
        CocoDataset gt = dataset(1, person(1, 1, 0, 0, 100, 100));
        String text = CocoEvaluator.evaluate(gt, List.of(det(1, .9, 0, 0, 100, 100)), IouType.BBOX).summaryText();
        assertTrue(text.startsWith(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 1.000\n"),
                text);
        assertTrue(text.contains(" Average Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = -1.000"),
                text);
    }
}
