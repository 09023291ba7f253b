package org.peopleseg.core.eval;

/**
 * COCOeval's {@code evaluateImg} for one image, one category and one area range: the greedy matching of detections
 * (by descending score) to ground truths at every IoU threshold, and the ignore flags that accumulation needs.
 *
 * <p>The rules, each taken from pycocotools:
 * <ul>
 *   <li>A ground truth is ignored when it is a crowd region or its {@code area} field lies outside the range;
 *       ignored ones are visited last (stable order otherwise).</li>
 *   <li>For each detection the best IoU starts at {@code min(t, 1 - 1e-10)}; a ground truth already matched is
 *       skipped unless it is a crowd region; once the detection holds a non-ignored match, the search stops at the
 *       first ignored ground truth; a ground truth with IoU {@code <} the best so far is skipped, so an equal IoU
 *       moves the match to the later ground truth.</li>
 *   <li>A detection matched to an ignored ground truth is ignored; an unmatched detection whose area lies outside
 *       the range is ignored.</li>
 *   <li>"Matched" means the stored ground-truth id is not 0, exactly as pycocotools tests it: a ground truth whose id
 *       is 0 can never produce a true positive there either.</li>
 * </ul>
 */
final class ImageEvaluation implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private static final double MAX_IOU_START = 1 - 1e-10;

    /** Detections in evaluation order (descending score, at most maxDets), as indices into the detection list. */
    final int[] detections;
    /** Their scores. */
    final double[] scores;
    /** {@code [t * D + d]}: id of the matched ground truth, 0 when unmatched. */
    final long[] matchedGtIds;
    /** {@code [t * D + d]}: whether the detection is ignored at threshold t. */
    final boolean[] ignored;
    /** Ground truths that count (neither crowd nor outside the area range). */
    final int groundTruthsCounted;

    private ImageEvaluation(int[] detections, double[] scores, long[] matchedGtIds, boolean[] ignored,
            int groundTruthsCounted) {
        this.detections = detections;
        this.scores = scores;
        this.matchedGtIds = matchedGtIds;
        this.ignored = ignored;
        this.groundTruthsCounted = groundTruthsCounted;
    }

    /**
     * @param gts  ground-truth indices in file order
     * @param dts  detection indices by descending score, already cut at maxDets
     * @param ious {@code ious[d][g]} in those orders
     */
    static ImageEvaluation evaluate(EvalInput in, int[] gts, int[] dts, double[][] ious, AreaRange range,
            double[] iouThresholds) {
        int g = gts.length;
        int d = dts.length;
        int t = iouThresholds.length;
        // ground truths: ignore flags, then a stable order with the ignored ones last
        int[] order = new int[g];
        boolean[] ignoredGt = new boolean[g];
        boolean[] crowd = new boolean[g];
        long[] ids = new long[g];
        int counted = 0;
        for (int j = 0; j < g; j++) {
            var ann = in.annotation(gts[j]);
            if (!ann.crowd() && range.contains(ann.area())) {
                order[counted++] = j;
            }
        }
        int pos = counted;
        for (int j = 0; j < g; j++) {
            var ann = in.annotation(gts[j]);
            if (ann.crowd() || !range.contains(ann.area())) {
                order[pos++] = j;
            }
        }
        for (int j = 0; j < g; j++) {
            var ann = in.annotation(gts[order[j]]);
            ignoredGt[j] = j >= counted;
            crowd[j] = ann.crowd();
            ids[j] = ann.id();
        }
        double[] scores = new double[d];
        for (int i = 0; i < d; i++) {
            scores[i] = in.detection(dts[i]).score();
        }
        long[] matched = new long[t * d];
        boolean[] ignored = new boolean[t * d];
        if (g > 0 && d > 0) {
            boolean[] gtMatched = new boolean[g];
            for (int ti = 0; ti < t; ti++) {
                java.util.Arrays.fill(gtMatched, false);
                for (int di = 0; di < d; di++) {
                    double best = Math.min(iouThresholds[ti], MAX_IOU_START);
                    int m = -1;
                    double[] row = ious[di];
                    for (int j = 0; j < g; j++) {
                        if (gtMatched[j] && !crowd[j]) {
                            continue;
                        }
                        if (m > -1 && !ignoredGt[m] && ignoredGt[j]) {
                            break;
                        }
                        double iou = row[order[j]];
                        if (iou < best) {
                            continue;
                        }
                        best = iou;
                        m = j;
                    }
                    if (m == -1) {
                        continue;
                    }
                    ignored[ti * d + di] = ignoredGt[m];
                    matched[ti * d + di] = ids[m];
                    gtMatched[m] = true;
                }
            }
        }
        for (int di = 0; di < d; di++) {
            if (!range.contains(in.detection(dts[di]).area())) {
                for (int ti = 0; ti < t; ti++) {
                    if (matched[ti * d + di] == 0) {
                        ignored[ti * d + di] = true;
                    }
                }
            }
        }
        return new ImageEvaluation(dts, scores, matched, ignored, counted);
    }

    int detectionCount() {
        return detections.length;
    }
}
