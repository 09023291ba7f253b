package org.peopleseg.train.net.maskrcnn;

/**
 * torchvision's {@code Matcher}: each prediction (anchor, proposal) gets the ground truth it overlaps most, or
 * {@link #BELOW_LOW} / {@link #BETWEEN}. With {@code allowLowQuality} (the RPN's), every prediction that is the best
 * match of some ground truth (ties included) keeps its best ground truth even below the thresholds.
 *
 * <p>TAO's RoI rule has a third threshold: proposals with IoU below {@code bg_thresh_lo} are neither foreground nor
 * background. torchvision has no such bound (it is 0); {@link #match} takes it as {@code ignoreBelow}, and with
 * TAO's default 0.0 both agree.
 */
final class Matcher {
    static final int BELOW_LOW = -1;
    static final int BETWEEN = -2;

    private Matcher() {}

    /**
     * @param iou {@code [gt][predictions]}, at least one ground truth
     * @param high quality at or above which a match is kept
     * @param low quality below which a prediction is background
     * @param ignoreBelow quality below which a background prediction is ignored instead (TAO's bg_thresh_lo)
     * @return per prediction the matched ground truth index, or a negative code
     */
    static int[] match(float[][] iou, int predictions, double high, double low, double ignoreBelow,
                       boolean allowLowQuality) {
        int g = iou.length;
        float hi = (float) high, lo = (float) low, ig = (float) ignoreBelow;
        int[] matches = new int[predictions];
        int[] best = new int[predictions];
        for (int j = 0; j < predictions; j++) {
            int arg = 0;
            float v = iou[0][j];
            for (int i = 1; i < g; i++) {
                // torch's max over dim 0 returns the first maximum
                if (iou[i][j] > v) {
                    v = iou[i][j];
                    arg = i;
                }
            }
            best[j] = arg;
            if (v < lo) {
                matches[j] = v < ig ? BETWEEN : BELOW_LOW;
            } else if (v < hi) {
                matches[j] = BETWEEN;
            } else {
                matches[j] = arg;
            }
        }
        if (allowLowQuality) {
            for (int i = 0; i < g; i++) {
                float top = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < predictions; j++) {
                    top = Math.max(top, iou[i][j]);
                }
                for (int j = 0; j < predictions; j++) {
                    if (iou[i][j] == top) {
                        matches[j] = best[j];
                    }
                }
            }
        }
        return matches;
    }
}
