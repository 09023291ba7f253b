package org.peopleseg.core.eval;

import java.util.Arrays;
import java.util.List;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;

/**
 * The PeopleSegNet model card's matching: per image and category, detections in descending score order (ties in
 * list order) each take the not-yet-matched, non-crowd ground truth with the highest IoU, if that IoU is strictly
 * greater than the threshold (0.5 on the card); equal IoUs go to the earlier ground truth in file order. A
 * detection that matches no object but overlaps a crowd region with IoU above the threshold is ignored — crowd IoU
 * as in COCO, intersection over the detection's own area — so detections inside a crowd are neither rewarded nor
 * punished.
 *
 * <p>Unlike COCO AP there is no cap on detections per image and no area range. Detections of categories that the
 * ground truth does not list are not evaluated (as in COCOeval).
 *
 * <p>The matching runs once, over all detections; KPIs at any confidence threshold follow from it, because the
 * detections kept at a threshold are a prefix of the score order and greedy matching of a prefix is the start of
 * greedy matching of the whole list. That makes the threshold sweep and the best-F1 search exact and cheap.
 */
public final class KpiMatcher {
    /** The model card's IoU: a match needs IoU > 0.5. */
    public static final double DEFAULT_IOU = 0.5;

    private KpiMatcher() {
    }

    public static KpiMatching match(CocoDataset groundTruth, List<CocoDetection> detections, IouType iouType) {
        return match(groundTruth, detections, iouType, DEFAULT_IOU);
    }

    /**
     * @throws IllegalArgumentException for detections on images absent from the ground truth (naming them), or for
     *                                  {@code segm} when a ground-truth object has no segmentation
     */
    public static KpiMatching match(CocoDataset groundTruth, List<CocoDetection> detections, IouType iouType,
            double iouThreshold) {
        return match(EvalInput.prepare(groundTruth, detections, iouType), iouThreshold);
    }

    /** On prepared input, so that a caller running COCO and KPI matching converts masks once. */
    static KpiMatching match(EvalInput in, double iouThreshold) {
        List<CocoDetection> detections = in.detections;
        int images = in.imageCount();
        int n = detections.size();
        KpiMatching.Outcome[] outcome = new KpiMatching.Outcome[n];
        long[] matchedGt = new long[n];
        int[] detImage = new int[n];
        Arrays.fill(detImage, -1);
        int[] objects = new int[images];
        for (int i = 0; i < images; i++) {
            for (int k = 0; k < in.categoryCount(); k++) {
                int[] gts = in.groundTruths(i, k);
                int[] dts = in.detectionsByScore(i, k, Integer.MAX_VALUE);
                for (int g : gts) {
                    if (!in.annotation(g).crowd()) {
                        objects[i]++;
                    }
                }
                matchCell(in, gts, dts, iouThreshold, outcome, matchedGt);
                for (int d : dts) {
                    detImage[d] = i;
                }
            }
        }
        return new KpiMatching(in.groundTruth, in.imageIds, objects, detections, detImage, outcome, matchedGt,
                in.iouType, iouThreshold);
    }

    private static void matchCell(EvalInput in, int[] gts, int[] dts, double iouThreshold,
            KpiMatching.Outcome[] outcome, long[] matchedGt) {
        double[][] ious = in.ious(dts, gts);
        boolean[] taken = new boolean[gts.length];
        boolean[] crowd = new boolean[gts.length];
        for (int g = 0; g < gts.length; g++) {
            crowd[g] = in.annotation(gts[g]).crowd();
        }
        for (int d = 0; d < dts.length; d++) {
            int best = -1;
            double bestIou = iouThreshold;
            boolean inCrowd = false;
            for (int g = 0; g < gts.length; g++) {
                double iou = ious[d][g];
                if (crowd[g]) {
                    inCrowd |= iou > iouThreshold;
                } else if (!taken[g] && iou > bestIou) {
                    best = g;
                    bestIou = iou;
                }
            }
            if (best >= 0) {
                taken[best] = true;
                outcome[dts[d]] = KpiMatching.Outcome.TRUE_POSITIVE;
                matchedGt[dts[d]] = in.annotation(gts[best]).id();
            } else {
                outcome[dts[d]] = inCrowd ? KpiMatching.Outcome.IGNORED : KpiMatching.Outcome.FALSE_POSITIVE;
            }
        }
    }
}
