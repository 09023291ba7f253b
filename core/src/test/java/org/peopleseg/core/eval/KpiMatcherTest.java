package org.peopleseg.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peopleseg.core.eval.EvalFixtures.crowd;
import static org.peopleseg.core.eval.EvalFixtures.dataset;
import static org.peopleseg.core.eval.EvalFixtures.det;
import static org.peopleseg.core.eval.EvalFixtures.image;
import static org.peopleseg.core.eval.EvalFixtures.maskDet;
import static org.peopleseg.core.eval.EvalFixtures.person;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.peopleseg.core.dataset.CocoAnnotation;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;
import org.peopleseg.core.dataset.CocoImage;

class KpiMatcherTest {

    private static Kpi kpi(CocoDataset gt, List<CocoDetection> dts, double threshold) {
        return KpiMatcher.match(gt, dts, IouType.BBOX).at(threshold);
    }

    private static void assertCounts(long tp, long fp, long fn, long ignored, Kpi k) {
        assertEquals(List.of(tp, fp, fn, ignored), List.of(k.tp(), k.fp(), k.fn(), k.ignored()), k.toString());
    }

    @Test
    void aMatchNeedsIouStrictlyAboveHalf() {
        CocoDataset gt = dataset(1, person(1, 1, 0, 0, 100, 100));
        // 100x50 inside 100x100: IoU exactly 0.5 -> not a match for the card (COCO's AP50 counts it: >=)
        List<CocoDetection> half = List.of(det(1, .9, 0, 0, 100, 50));
        assertCounts(0, 1, 1, 0, kpi(gt, half, .5));
        assertEquals(1.0, CocoEvaluator.evaluate(gt, half, IouType.BBOX).stats()[1], 1e-12);
        assertCounts(1, 0, 0, 0, kpi(gt, List.of(det(1, .9, 0, 0, 100, 51)), .5));
    }

    @Test
    void detectionsBelowTheThresholdAreLeftOutAndEqualScoresKept() {
        CocoDataset gt = dataset(1, person(1, 1, 0, 0, 100, 100), person(2, 1, 100, 100, 100, 100));
        List<CocoDetection> dts = List.of(det(1, .5, 0, 0, 100, 100), det(1, .49, 100, 100, 100, 100));
        assertCounts(1, 0, 1, 0, kpi(gt, dts, .5));
        assertCounts(2, 0, 0, 0, kpi(gt, dts, .49));
        Kpi k = kpi(gt, dts, .5);
        assertEquals(1.0, k.precision(), 0.0);
        assertEquals(0.5, k.recall(), 0.0);
        assertEquals(0.5, k.accuracy(), 0.0);
        assertEquals(2.0 / 3, k.f1(), 1e-15);
    }

    @Test
    void detectionsInACrowdRegionAreNeitherTruePositivesNorFalsePositives() {
        CocoDataset gt = dataset(1, person(1, 1, 10, 10, 80, 80), crowd(2, 1, 120, 0, 80, 200));
        List<CocoDetection> dts = List.of(det(1, .9, 130, 20, 40, 100), det(1, .8, 140, 130, 30, 50),
                det(1, .7, 10, 10, 80, 80), det(1, .6, 20, 120, 60, 60));
        KpiMatching m = KpiMatcher.match(gt, dts, IouType.BBOX);
        assertCounts(1, 1, 0, 2, m.at(0));
        assertEquals(KpiMatching.Outcome.IGNORED, m.outcome(0).orElseThrow());
        assertEquals(KpiMatching.Outcome.TRUE_POSITIVE, m.outcome(2).orElseThrow());
        assertEquals(1L, m.matchedGroundTruthId(2).getAsLong());
        assertEquals(KpiMatching.Outcome.FALSE_POSITIVE, m.outcome(3).orElseThrow());
        assertEquals(1, m.objectCount()); // the crowd region is not an object to find
    }

    @Test
    void aDetectionThatFitsBothAnObjectAndACrowdRegionIsATruePositive() {
        CocoDataset gt = dataset(1, crowd(2, 1, 0, 0, 200, 200), person(1, 1, 10, 10, 80, 80));
        assertCounts(1, 0, 0, 0, kpi(gt, List.of(det(1, .9, 10, 10, 80, 80)), .5));
    }

    @Test
    void duplicatesAreFalsePositives() {
        CocoDataset gt = dataset(1, person(1, 1, 0, 0, 100, 100));
        assertCounts(1, 1, 0, 0, kpi(gt, List.of(det(1, .9, 0, 0, 100, 96), det(1, .8, 0, 0, 100, 90)), .5));
    }

    @Test
    void eachDetectionTakesTheUnmatchedObjectWithTheHighestIou() {
        // dt1 overlaps A with IoU .43 and B with .82: it takes B, leaving A for dt2
        CocoDataset gt = dataset(1, person(1, 1, 0, 0, 100, 100), person(2, 1, 50, 0, 100, 100));
        KpiMatching m = KpiMatcher.match(gt, List.of(det(1, .9, 40, 0, 100, 100), det(1, .8, 0, 0, 100, 100)),
                IouType.BBOX);
        assertEquals(2L, m.matchedGroundTruthId(0).getAsLong());
        assertEquals(1L, m.matchedGroundTruthId(1).getAsLong());
        // equal IoU: the earlier object in file order
        CocoDataset twins = dataset(1, person(7, 1, 0, 0, 100, 100), person(8, 1, 0, 0, 100, 100));
        assertEquals(7L, KpiMatcher.match(twins, List.of(det(1, .9, 0, 0, 100, 100)), IouType.BBOX)
                .matchedGroundTruthId(0).getAsLong());
    }

    @Test
    void zeroDenominatorsAreNaN() {
        Kpi none = kpi(dataset(1), List.of(), .5);
        assertCounts(0, 0, 0, 0, none);
        assertTrue(Double.isNaN(none.precision()) && Double.isNaN(none.recall()) && Double.isNaN(none.accuracy())
                && Double.isNaN(none.f1()));
        Kpi missed = kpi(dataset(1, person(1, 1, 0, 0, 100, 100)), List.of(), .5);
        assertTrue(Double.isNaN(missed.precision()));
        assertEquals(0.0, missed.recall(), 0.0);
        assertEquals(0.0, missed.f1(), 0.0);
        assertEquals(0.0, missed.accuracy(), 0.0);
    }

    @Test
    void masksAreMatchedOnMaskIou() {
        CocoDataset gt = dataset(1, person(1, 1, 10, 10, 100, 100));
        // same box, but the mask covers only its left 40 % -> mask IoU .4: no match on masks, a match on boxes
        CocoDetection d = CocoDetection.of(1, 1, new org.peopleseg.core.dataset.CocoBox(10, 10, 100, 100), .9,
                EvalFixtures.boxMask(10, 10, 40, 100));
        assertCounts(0, 1, 1, 0, KpiMatcher.match(gt, List.of(d), IouType.SEGM).at(.5));
        assertCounts(1, 0, 0, 0, KpiMatcher.match(gt, List.of(d), IouType.BBOX).at(.5));
        assertCounts(1, 0, 0, 0, KpiMatcher.match(gt, List.of(maskDet(1, .9, 10, 10, 100, 100)), IouType.SEGM)
                .at(.5));
    }

    @Test
    void bestF1IsTheExactOptimumOverAllScores() {
        // TP .9, FP .8, TP .7, FP .6 against 2 objects: F1 = 2/3, 1/2, 4/5, 2/3 -> best at .7
        CocoDataset gt = dataset(2, person(1, 1, 0, 0, 100, 100), person(2, 2, 0, 0, 100, 100));
        KpiMatching m = KpiMatcher.match(gt, List.of(det(1, .9, 0, 0, 100, 100), det(1, .8, 120, 120, 50, 50),
                det(2, .7, 0, 0, 100, 100), det(2, .6, 120, 120, 50, 50)), IouType.BBOX);
        Kpi best = m.bestF1().orElseThrow();
        assertEquals(.7, best.threshold(), 0.0);
        assertEquals(.8, best.f1(), 1e-15);
        assertFalse(KpiMatcher.match(gt, List.of(), IouType.BBOX).bestF1().isPresent());
        List<Kpi> sweep = m.sweep();
        assertEquals(101, sweep.size());
        assertEquals(0.07, sweep.get(7).threshold(), 0.0);
        assertCounts(2, 2, 0, 0, sweep.get(0));
        assertCounts(1, 1, 1, 0, sweep.get(75));
        assertCounts(0, 0, 2, 0, sweep.get(100));
    }

    /**
     * The sweep reads every threshold from one matching. That is only right if matching the detections kept at a
     * threshold gives the same counts as the prefix of the full matching: check against a fresh matching of the
     * filtered list, on random crowded scenes with ties, duplicates and crowd regions.
     */
    @Test
    void countsAtAThresholdEqualAFreshMatchingOfTheKeptDetections() {
        Random rnd = new Random(7);
        List<CocoAnnotation> anns = new ArrayList<>();
        List<CocoDetection> dts = new ArrayList<>();
        long id = 1;
        for (int img = 1; img <= 30; img++) {
            for (int g = 0; g < 6; g++) {
                double x = rnd.nextInt(150), y = rnd.nextInt(150);
                double w = 10 + rnd.nextInt(50), h = 10 + rnd.nextInt(50);
                anns.add(rnd.nextInt(10) == 0 ? crowd(id++, img, x, y, w, h) : person(id++, img, x, y, w, h));
                for (int k = rnd.nextInt(3); k > 0; k--) {
                    dts.add(maskDet(img, rnd.nextInt(20) / 20.0, x + rnd.nextInt(11) - 5, y + rnd.nextInt(11) - 5,
                            w + rnd.nextInt(11) - 5, h + rnd.nextInt(11) - 5));
                }
            }
            for (int f = rnd.nextInt(4); f > 0; f--) {
                dts.add(maskDet(img, rnd.nextInt(20) / 20.0, rnd.nextInt(150), rnd.nextInt(150), 20, 30));
            }
        }
        CocoDataset gt = dataset(30, anns.toArray(CocoAnnotation[]::new));
        for (IouType type : IouType.values()) {
            KpiMatching all = KpiMatcher.match(gt, dts, type);
            for (double t = 0; t <= 1.0; t += 0.05) {
                final double thr = t;
                List<CocoDetection> kept = dts.stream().filter(d -> d.score() >= thr).toList();
                Kpi fresh = KpiMatcher.match(gt, kept, type).at(Double.NEGATIVE_INFINITY);
                Kpi fromSweep = all.at(thr);
                assertCounts(fresh.tp(), fresh.fp(), fresh.fn(), fresh.ignored(), fromSweep);
            }
        }
    }

    @Test
    void groupsSplitByAnImageField() {
        List<CocoImage> images = List.of(image(1, Map.of("camera_height", "5ft")),
                image(2, Map.of("camera_height", "10ft")), image(3, Map.of("camera_height", "5ft")), image(4));
        CocoDataset gt = EvalFixtures.dataset(images, person(1, 1, 0, 0, 100, 100), person(2, 2, 0, 0, 100, 100),
                person(3, 3, 0, 0, 100, 100), person(4, 4, 0, 0, 100, 100));
        List<CocoDetection> dts = List.of(det(1, .9, 0, 0, 100, 100), det(2, .9, 120, 120, 50, 50),
                det(3, .9, 0, 0, 100, 100), det(4, .9, 0, 0, 100, 100));
        Map<String, KpiMatching> groups = KpiMatcher.match(gt, dts, IouType.BBOX).groupBy("camera_height");
        assertEquals(List.of("(missing)", "10ft", "5ft"), List.copyOf(groups.keySet()));
        assertCounts(2, 0, 0, 0, groups.get("5ft").at(.5));
        assertCounts(0, 1, 1, 0, groups.get("10ft").at(.5));
        assertCounts(1, 0, 0, 0, groups.get("(missing)").at(.5));
        List<ImageKpi> perImage = KpiMatcher.match(gt, dts, IouType.BBOX).perImage(.5);
        assertEquals(new ImageKpi(2, "2.jpg", 1, 0, 1, 1, 0), perImage.get(1));
        assertEquals(2, perImage.get(1).errors());
    }
}
