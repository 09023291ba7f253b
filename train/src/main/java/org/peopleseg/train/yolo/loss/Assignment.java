package org.peopleseg.train.yolo.loss;

/**
 * What the task-aligned assigner decided for one image.
 *
 * @param foreground   per anchor: a positive
 * @param targetGt     per anchor: the ground truth it learns (meaningful where foreground)
 * @param targetScores [anchors x classes]: the label's one-hot scaled by the normalised alignment metric, 0 for
 *                     background (the classification target, and per anchor the box/DFL weight)
 */
public record Assignment(boolean[] foreground, int[] targetGt, float[] targetScores, int classes) {

    public int positives() {
        int n = 0;
        for (boolean f : foreground) {
            n += f ? 1 : 0;
        }
        return n;
    }

    /** The anchors that are positives, ascending. */
    public int[] positiveAnchors() {
        int[] out = new int[positives()];
        int k = 0;
        for (int a = 0; a < foreground.length; a++) {
            if (foreground[a]) {
                out[k++] = a;
            }
        }
        return out;
    }

    /** Sum over classes of anchor {@code a}'s target score (BboxLoss' weight). */
    public float weight(int a) {
        float s = 0;
        for (int c = 0; c < classes; c++) {
            s += targetScores[a * classes + c];
        }
        return s;
    }

    public double scoreSum() {
        double s = 0;
        for (float v : targetScores) {
            s += v;
        }
        return s;
    }
}
