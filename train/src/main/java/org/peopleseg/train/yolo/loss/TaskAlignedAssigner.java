package org.peopleseg.train.yolo.loss;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The task-aligned assigner of TOOD (Feng et al. 2021) as Ultralytics defines it for YOLOv8/11 training
 * ({@code TaskAlignedAssigner} in ultralytics/utils/tal.py, used by {@code v8DetectionLoss} in utils/loss.py with
 * topk 10, alpha 0.5, beta 6.0). Plain Java: it needs no gradient (Ultralytics runs it under no_grad on detached
 * predictions).
 *
 * <p>Per ground truth: the anchors whose centre lies strictly inside its box (deltas &gt; 1e-9) are candidates; each
 * gets the alignment metric {@code s^alpha * u^beta}, s the predicted probability of the ground truth's class, u the
 * CIoU of the predicted box with the ground truth, clamped at 0; the top-k candidates by metric are its positives.
 * An anchor claimed by several ground truths keeps the one with the largest CIoU (over all ground truths, first on
 * ties, as {@code argmax} does). The classification target of a positive is the one-hot label scaled by
 * {@code metric * maxIoU(gt) / (maxMetric(gt) + 1e-9)}, the maxima over the ground truth's positives.
 *
 * <p>One rule Ultralytics leaves to {@code torch.topk}'s unspecified tie order: when fewer than k candidates have a
 * positive metric, torch may fill the remaining slots with any zero-metric anchors, inside the box or not. Here a
 * zero-metric anchor is never a positive (deterministic; such an anchor has no alignment to learn from anyway).
 */
public final class TaskAlignedAssigner {
    public static final double EPS = 1e-9;
    private final int topk;
    private final double alpha;
    private final double beta;

    public TaskAlignedAssigner(int topk, double alpha, double beta) {
        this.topk = topk;
        this.alpha = alpha;
        this.beta = beta;
    }

    /** Ultralytics' settings for detection and segmentation: top-k 10, alpha 0.5, beta 6.0. */
    public static TaskAlignedAssigner ultralytics() {
        return new TaskAlignedAssigner(10, 0.5, 6.0);
    }

    /**
     * @param scores    [anchors x classes] predicted probabilities (sigmoid of the class logits)
     * @param predBoxes [anchors x 4] predicted boxes x1, y1, x2, y2 in input pixels
     * @param anchorX   anchor points in input pixels ((cell + 0.5) * stride)
     * @param gtBoxes   [gts x 4] ground-truth boxes in input pixels
     * @param gtLabels  class index per ground truth
     */
    public Assignment assign(float[] scores, int classes, float[] predBoxes, float[] anchorX, float[] anchorY,
                             float[] gtBoxes, int[] gtLabels) {
        int n = anchorX.length, g = gtLabels.length;
        boolean[] fg = new boolean[n];
        int[] target = new int[n];
        float[] targetScores = new float[n * classes];
        if (g == 0) {
            return new Assignment(fg, target, targetScores, classes);
        }
        double[][] overlaps = new double[g][];
        double[][] metric = new double[g][];
        List<List<Integer>> positives = new ArrayList<>();
        for (int j = 0; j < g; j++) {
            double gx1 = gtBoxes[4 * j], gy1 = gtBoxes[4 * j + 1], gx2 = gtBoxes[4 * j + 2], gy2 = gtBoxes[4 * j + 3];
            double[] ov = new double[n], me = new double[n];
            List<Integer> cand = new ArrayList<>();
            for (int a = 0; a < n; a++) {
                double ax = anchorX[a], ay = anchorY[a];
                double inside = Math.min(Math.min(ax - gx1, ay - gy1), Math.min(gx2 - ax, gy2 - ay));
                if (!(inside > EPS)) {
                    continue;
                }
                double u = Math.max(0, BoxIou.ciou(gx1, gy1, gx2, gy2, predBoxes[4 * a], predBoxes[4 * a + 1],
                        predBoxes[4 * a + 2], predBoxes[4 * a + 3]));
                double s = scores[a * classes + gtLabels[j]];
                ov[a] = u;
                me[a] = Math.pow(s, alpha) * Math.pow(u, beta);
                if (me[a] > 0) {
                    cand.add(a);
                }
            }
            cand.sort(Comparator.comparingDouble((Integer a) -> -me[a]).thenComparingInt(a -> a));
            positives.add(cand.subList(0, Math.min(topk, cand.size())));
            overlaps[j] = ov;
            metric[j] = me;
        }
        int[] count = new int[n];
        for (int j = 0; j < g; j++) {
            for (int a : positives.get(j)) {
                count[a]++;
                target[a] = j;
                fg[a] = true;
            }
        }
        for (int a = 0; a < n; a++) {
            if (count[a] > 1) {
                int best = 0;
                for (int j = 1; j < g; j++) {
                    if (overlaps[j][a] > overlaps[best][a]) {
                        best = j;
                    }
                }
                target[a] = best;
            }
        }
        double[] maxMetric = new double[g], maxIou = new double[g];
        for (int a = 0; a < n; a++) {
            if (fg[a]) {
                int j = target[a];
                maxMetric[j] = Math.max(maxMetric[j], metric[j][a]);
                maxIou[j] = Math.max(maxIou[j], overlaps[j][a]);
            }
        }
        for (int a = 0; a < n; a++) {
            if (fg[a]) {
                int j = target[a];
                targetScores[a * classes + gtLabels[j]] = (float) (metric[j][a] * maxIou[j] / (maxMetric[j] + EPS));
            }
        }
        return new Assignment(fg, target, targetScores, classes);
    }
}
