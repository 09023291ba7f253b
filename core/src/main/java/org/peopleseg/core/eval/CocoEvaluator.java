package org.peopleseg.core.eval;

import java.util.ArrayList;
import java.util.List;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;

/**
 * COCO detection metrics with pycocotools' {@code COCOeval} semantics, bit for bit: the same 12 summary numbers,
 * precision/recall arrays and tie order, for {@code bbox} and {@code segm}.
 *
 * <pre>{@code
 * CocoDataset gt = CocoDataset.read(Path.of("annotations.json"));
 * List<CocoDetection> dts = CocoResultsReader.read(Path.of("results.json"), gt);
 * CocoEvalResult r = CocoEvaluator.evaluate(gt, dts, IouType.SEGM);
 * double ap = r.stats()[0];                       // AP@[.50:.95]
 * double[] pr50 = r.precisionCurve(0.5);          // 101 points, for plotting
 * }</pre>
 *
 * <p>The three stages mirror COCOeval (the first two apart in {@link ImageEvaluations}, for distributed runs): {@code evaluate} matches per image, category and area range
 * ({@link ImageEvaluation}); {@code accumulate} ranks all detections of a category across images by score and
 * samples precision at 101 recall points (here, below); {@code summarize} averages (in {@link CocoEvalResult}).
 * Differences from pycocotools are only in what it would do with invalid input: results for image ids absent from
 * the ground truth are an error naming them, and {@code segm} on box-only ground truth is an error instead of a
 * crash.
 *
 * <p>Cost: IoUs are computed on run-length masks without decoding, once per (image, category) for the top maxDets
 * detections; the rest is linear in the number of detections times thresholds.
 */
public final class CocoEvaluator {
    /** numpy's {@code np.spacing(1)}, added to precision's denominator by pycocotools. */
    private static final double EPS = Math.ulp(1.0);

    private CocoEvaluator() {
    }

    /** With pycocotools' default parameters. */
    public static CocoEvalResult evaluate(CocoDataset groundTruth, List<CocoDetection> detections, IouType iouType) {
        return evaluate(groundTruth, detections, iouType, CocoEvalParams.defaults());
    }

    /**
     * @param detections in results-file order: it decides the order of equal scores
     * @throws IllegalArgumentException for detections on images absent from the ground truth (naming them), or for
     *                                  {@code segm} when a ground-truth object has no segmentation
     */
    public static CocoEvalResult evaluate(CocoDataset groundTruth, List<CocoDetection> detections, IouType iouType,
            CocoEvalParams params) {
        return evaluate(EvalInput.prepare(groundTruth, detections, iouType), params);
    }

    /** On prepared input, so that a caller running COCO and KPI matching converts masks once. */
    static CocoEvalResult evaluate(EvalInput in, CocoEvalParams params) {
        return accumulate(ImageEvaluations.of(in, params), params);
    }

    /** {@code evals[k * A + a][i]}: null where image i has neither ground truth nor detections of category k. */
    static ImageEvaluation[][] evaluateImages(EvalInput in, CocoEvalParams params) {
        int images = in.imageCount();
        int categories = in.categoryCount();
        List<AreaRange> ranges = params.areaRanges();
        int areas = ranges.size();
        double[] thresholds = params.iouThresholds();
        int cap = params.maxDetectionsCap();
        ImageEvaluation[][] evals = new ImageEvaluation[categories * areas][images];
        for (int k = 0; k < categories; k++) {
            for (int i = 0; i < images; i++) {
                int[] gts = in.groundTruths(i, k);
                if (gts.length == 0 && in.detectionsOf(i, k).length == 0) {
                    continue;
                }
                int[] dts = in.detectionsByScore(i, k, cap);
                double[][] ious = in.ious(dts, gts);
                for (int a = 0; a < areas; a++) {
                    evals[k * areas + a][i] = ImageEvaluation.evaluate(in, gts, dts, ious, ranges.get(a), thresholds);
                }
            }
        }
        return evals;
    }

    /** COCOeval's {@code accumulate}: precision [T][R][K][A][M], recall [T][K][A][M], scores, -1 where undefined. */
    static CocoEvalResult accumulate(ImageEvaluations in, CocoEvalParams params) {
        ImageEvaluation[][] evals = in.evals;
        double[] iouThrs = params.iouThresholds();
        double[] recThrs = params.recallThresholds();
        int[] maxDets = params.maxDetections();
        int nT = iouThrs.length, nR = recThrs.length, nK = in.categoryIds.length, nA = params.areaRanges().size();
        int nM = maxDets.length;
        CocoEvalResult.Arrays arrays = new CocoEvalResult.Arrays(nT, nR, nK, nA, nM);
        for (int k = 0; k < nK; k++) {
            for (int a = 0; a < nA; a++) {
                List<ImageEvaluation> e = new ArrayList<>();
                for (ImageEvaluation ie : evals[k * nA + a]) { // ascending image id
                    if (ie != null) {
                        e.add(ie);
                    }
                }
                if (e.isEmpty()) {
                    continue;
                }
                int npig = 0;
                for (ImageEvaluation ie : e) {
                    npig += ie.groundTruthsCounted;
                }
                if (npig == 0) {
                    continue;
                }
                for (int m = 0; m < nM; m++) {
                    accumulateSetting(e, npig, maxDets[m], nT, recThrs, arrays, k, a, m);
                }
            }
        }
        return new CocoEvalResult(in.iouType, params, in.categoryIds, arrays, in.imageCount(), in.detectionCount);
    }

    private static void accumulateSetting(List<ImageEvaluation> e, int npig, int maxDet, int nT, double[] recThrs,
            CocoEvalResult.Arrays out, int k, int a, int m) {
        int n = 0;
        for (ImageEvaluation ie : e) {
            n += Math.min(maxDet, ie.detectionCount());
        }
        // concatenate the first maxDet detections of every image, in image order, then sort stably by score
        double[] scores = new double[n];
        int[] owner = new int[n];
        int[] local = new int[n];
        int pos = 0;
        for (int img = 0; img < e.size(); img++) {
            ImageEvaluation ie = e.get(img);
            int take = Math.min(maxDet, ie.detectionCount());
            for (int d = 0; d < take; d++) {
                scores[pos] = ie.scores[d];
                owner[pos] = img;
                local[pos] = d;
                pos++;
            }
        }
        int[] order = Numpy.argsortDescendingStable(scores);
        double[] sortedScores = new double[n];
        for (int i = 0; i < n; i++) {
            sortedScores[i] = scores[order[i]];
        }
        double[] rc = new double[n];
        double[] pr = new double[n];
        int nR = recThrs.length;
        for (int t = 0; t < nT; t++) {
            double tp = 0;
            double fp = 0;
            for (int i = 0; i < n; i++) {
                ImageEvaluation ie = e.get(owner[order[i]]);
                int idx = t * ie.detectionCount() + local[order[i]];
                if (!ie.ignored[idx]) {
                    if (ie.matchedGtIds[idx] != 0) {
                        tp++;
                    } else {
                        fp++;
                    }
                }
                rc[i] = tp / npig;
                pr[i] = tp / (fp + tp + EPS);
            }
            out.setRecall(t, k, a, m, n > 0 ? rc[n - 1] : 0);
            for (int i = n - 1; i > 0; i--) {
                if (pr[i] > pr[i - 1]) {
                    pr[i - 1] = pr[i];
                }
            }
            for (int r = 0; r < nR; r++) {
                int pi = Numpy.searchsortedLeft(rc, n, recThrs[r]);
                if (pi >= n) {
                    // pycocotools leaves 0 from here on (an IndexError ends its loop)
                    for (int rr = r; rr < nR; rr++) {
                        out.setPrecision(t, rr, k, a, m, 0);
                        out.setScore(t, rr, k, a, m, 0);
                    }
                    break;
                }
                out.setPrecision(t, r, k, a, m, pr[pi]);
                out.setScore(t, r, k, a, m, sortedScores[pi]);
            }
        }
    }
}
