package org.peopleseg.core.eval.mot;

import org.peopleseg.core.match.LinearAssignment;

/** Accumulates {@link DetectionCounts} frame by frame. */
public final class DetectionAccumulator {
    private int tp;
    private int fp;
    private int fn;

    /** One frame; distances gtIds.length × hypIds.length, non-finite = not pairable. Ids are only checked. */
    public void update(int[] gtIds, int[] hypIds, double[][] distances) {
        FrameCheck.check(gtIds, hypIds, distances);
        int pairs = 0;
        if (gtIds.length > 0 && hypIds.length > 0) {
            double[][] cost = new double[gtIds.length][hypIds.length];
            for (int i = 0; i < gtIds.length; i++) {
                for (int j = 0; j < hypIds.length; j++) {
                    double d = distances[i][j];
                    cost[i][j] = FrameCheck.pairable(d) ? d : Double.POSITIVE_INFINITY;
                }
            }
            for (int j : LinearAssignment.solve(cost)) {
                if (j >= 0) {
                    pairs++;
                }
            }
        }
        tp += pairs;
        fp += hypIds.length - pairs;
        fn += gtIds.length - pairs;
    }

    public DetectionCounts counts() {
        return new DetectionCounts(tp, fp, fn);
    }
}
