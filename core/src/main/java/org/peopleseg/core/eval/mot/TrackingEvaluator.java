package org.peopleseg.core.eval.mot;

import java.util.List;
import java.util.TreeSet;

/**
 * Compares a tracker's output with ground truth box by box: distance 1 − IoU, pairable when IoU ≥ the threshold
 * (MOTChallenge and py-motmetrics use 0.5), fed frame by frame to the CLEAR-MOT, identity and detection
 * accumulators. Every frame with a box in either file is evaluated, so ground truth in a frame without hypotheses
 * is missed and hypotheses in a frame without ground truth are false positives.
 */
public final class TrackingEvaluator {
    public static final double DEFAULT_IOU = 0.5;

    private TrackingEvaluator() {
    }

    /** @param iouThreshold in (0, 1]: at 0 boxes that do not overlap at all would match */
    public static TrackingMetrics evaluate(MotSequence groundTruth, MotSequence hypotheses, double iouThreshold) {
        if (!(iouThreshold > 0 && iouThreshold <= 1)) {
            throw new IllegalArgumentException("IoU threshold must be in (0, 1], got " + iouThreshold);
        }
        ClearMotAccumulator clear = new ClearMotAccumulator();
        IdentityAccumulator identity = new IdentityAccumulator();
        DetectionAccumulator detection = new DetectionAccumulator();
        TreeSet<Integer> frames = new TreeSet<>(groundTruth.frames());
        frames.addAll(hypotheses.frames());
        for (int frame : frames) {
            List<MotRecord> gts = groundTruth.frame(frame);
            List<MotRecord> hyps = hypotheses.frame(frame);
            int[] gtIds = gts.stream().mapToInt(MotRecord::id).toArray();
            int[] hypIds = hyps.stream().mapToInt(MotRecord::id).toArray();
            double[][] distances = new double[gts.size()][hyps.size()];
            for (int i = 0; i < gts.size(); i++) {
                var g = gts.get(i).box();
                for (int j = 0; j < hyps.size(); j++) {
                    double iou = g.iou(hyps.get(j).box());
                    distances[i][j] = iou >= iouThreshold ? 1.0 - iou : Double.NaN;
                }
            }
            clear.update(gtIds, hypIds, distances);
            identity.update(gtIds, hypIds, distances);
            detection.update(gtIds, hypIds, distances);
        }
        return new TrackingMetrics(iouThreshold, groundTruth.ignoredRows(), hypotheses.ids(), clear.counts(),
                identity.counts(), detection.counts());
    }
}
