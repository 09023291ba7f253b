package org.peopleseg.core.eval.mot;

/**
 * Per-frame detection quality, ids ignored: in each frame the most ground-truth boxes that can be paired one-to-one
 * with hypothesis boxes at the IoU threshold (least total distance among those) are true positives. This separates
 * "did the detector find the people" from "did the tracker keep their identities"; it can exceed CLEAR-MOT's match
 * count, which prefers the previous frame's correspondences over the per-frame optimum.
 */
public record DetectionCounts(int truePositives, int falsePositives, int falseNegatives) {

    /** TP / (TP + FP); NaN without hypotheses. */
    public double precision() {
        return IdentityCounts.ratio(truePositives, truePositives + falsePositives);
    }

    /** TP / (TP + FN); NaN without ground truth. */
    public double recall() {
        return IdentityCounts.ratio(truePositives, truePositives + falseNegatives);
    }

    public DetectionCounts plus(DetectionCounts o) {
        return new DetectionCounts(truePositives + o.truePositives, falsePositives + o.falsePositives,
                falseNegatives + o.falseNegatives);
    }
}
