package org.peopleseg.core.eval;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What COCOeval computes: the 12 summary stats ({@code COCOeval.stats}), and the accumulated precision, recall and
 * score arrays ({@code COCOeval.eval}) for plotting precision/recall curves. -1 marks settings without ground truth,
 * as in pycocotools.
 *
 * <p>Array layout follows pycocotools: precision and scores are [T][R][K][A][M] (IoU threshold, recall threshold,
 * category, area range, maxDets), recall is [T][K][A][M]; indices follow {@link #params()} and
 * {@link #categoryIds()}.
 */
public final class CocoEvalResult {
    /** Names of {@link #stats()} in order, as the shared fixtures spell them. */
    public static final List<String> STAT_NAMES = List.of("AP@[.50:.95]_all_100", "AP@.50_all_100",
            "AP@.75_all_100", "AP@[.50:.95]_small_100", "AP@[.50:.95]_medium_100", "AP@[.50:.95]_large_100",
            "AR@[.50:.95]_all_1", "AR@[.50:.95]_all_10", "AR@[.50:.95]_all_100", "AR@[.50:.95]_small_100",
            "AR@[.50:.95]_medium_100", "AR@[.50:.95]_large_100");

    private final IouType iouType;
    private final CocoEvalParams params;
    private final int[] categoryIds;
    private final Arrays arrays;
    private final double[] stats;
    private final int images;
    private final int detections;

    CocoEvalResult(IouType iouType, CocoEvalParams params, int[] categoryIds, Arrays arrays, int images,
            int detections) {
        this.iouType = iouType;
        this.params = params;
        this.categoryIds = categoryIds.clone();
        this.arrays = arrays;
        this.images = images;
        this.detections = detections;
        this.stats = summarize();
    }

    public IouType iouType() {
        return iouType;
    }

    public CocoEvalParams params() {
        return params;
    }

    /** Categories evaluated (all of the ground truth's), ascending: the K axis. */
    public int[] categoryIds() {
        return categoryIds.clone();
    }

    /** Number of ground-truth images evaluated. */
    public int imageCount() {
        return images;
    }

    /** Number of detections given (including those of other categories and beyond maxDets). */
    public int detectionCount() {
        return detections;
    }

    /**
     * {@code COCOeval.stats}: AP@[.50:.95], AP50, AP75, AP small/medium/large, AR@1, AR@10, AR@100, AR
     * small/medium/large ({@link #STAT_NAMES}); -1 where undefined.
     */
    public double[] stats() {
        return stats.clone();
    }

    /** precision[t][r][k][a][m], -1 when the setting has no ground truth. */
    public double precision(int t, int r, int k, int a, int m) {
        return arrays.precision[arrays.index5(t, r, k, a, m)];
    }

    /** The score of the detection at which precision[t][r][k][a][m] is read (pycocotools' {@code scores}). */
    public double score(int t, int r, int k, int a, int m) {
        return arrays.scores[arrays.index5(t, r, k, a, m)];
    }

    /** recall[t][k][a][m]: the recall reached with all detections, -1 when the setting has no ground truth. */
    public double recall(int t, int k, int a, int m) {
        return arrays.recall[arrays.index4(t, k, a, m)];
    }

    /**
     * Precision at the 101 recall thresholds for an IoU threshold (e.g. 0.5 or 0.75, matched to the parameter
     * within 1e-9), area "all" and the largest maxDets: the COCO PR curve. With several categories, the mean over
     * categories that have ground truth at each point; -1 where none has.
     */
    public double[] precisionCurve(double iouThreshold) {
        int t = thresholdIndex(iouThreshold);
        int a = Math.max(0, params.areaIndex(AreaRange.ALL.label()));
        int m = params.maxDetections().length - 1;
        int nR = arrays.nR;
        double[] out = new double[nR];
        for (int r = 0; r < nR; r++) {
            double sum = 0;
            int n = 0;
            for (int k = 0; k < arrays.nK; k++) {
                double p = precision(t, r, k, a, m);
                if (p > -1) {
                    sum += p;
                    n++;
                }
            }
            out[r] = n == 0 ? -1 : sum / n;
        }
        return out;
    }

    /** Recall (all detections, area "all", largest maxDets) at each IoU threshold; mean over categories. */
    public double[] recallPerIouThreshold() {
        int a = Math.max(0, params.areaIndex(AreaRange.ALL.label()));
        int m = params.maxDetections().length - 1;
        double[] out = new double[arrays.nT];
        for (int t = 0; t < arrays.nT; t++) {
            double sum = 0;
            int n = 0;
            for (int k = 0; k < arrays.nK; k++) {
                double v = recall(t, k, a, m);
                if (v > -1) {
                    sum += v;
                    n++;
                }
            }
            out[t] = n == 0 ? -1 : sum / n;
        }
        return out;
    }

    private int thresholdIndex(double iou) {
        double[] thr = params.iouThresholds();
        for (int t = 0; t < thr.length; t++) {
            if (Math.abs(thr[t] - iou) < 1e-9) {
                return t;
            }
        }
        throw new IllegalArgumentException("IoU threshold " + iou + " is not one of " + java.util.Arrays.toString(thr));
    }

    /** The table pycocotools' {@code summarize()} prints, character for character. */
    public String summaryText() {
        StringBuilder sb = new StringBuilder();
        int[] md = params.maxDetections();
        for (int i = 0; i < 12; i++) {
            boolean ap = i < 6;
            String iou = i == 1 ? "0.50" : i == 2 ? "0.75"
                    : fixed(params.iouThresholds()[0], 2) + ":" + fixed(last(params.iouThresholds()), 2);
            String area = switch (i) {
                case 3, 9 -> "small";
                case 4, 10 -> "medium";
                case 5, 11 -> "large";
                default -> "all";
            };
            int maxDet = i == 6 ? md[0] : i == 7 ? md[1] : md[2];
            sb.append(String.format(" %-18s %s @[ IoU=%-9s | area=%6s | maxDets=%3d ] = %s%n",
                    ap ? "Average Precision" : "Average Recall", ap ? "(AP)" : "(AR)", iou, area, maxDet,
                    fixed(stats[i], 3)));
        }
        return sb.toString().replace(System.lineSeparator(), "\n");
    }

    private static double last(double[] a) {
        return a[a.length - 1];
    }

    /** Python's {@code '{:0.Nf}'}: the exact binary value rounded half-to-even (Java's %f rounds half up). */
    private static String fixed(double v, int digits) {
        return new BigDecimal(v).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** COCOeval's {@code _summarizeDets}. */
    private double[] summarize() {
        int[] md = params.maxDetections();
        return new double[] {
            mean(true, null, "all", md[2]),
            mean(true, .5, "all", md[2]),
            mean(true, .75, "all", md[2]),
            mean(true, null, "small", md[2]),
            mean(true, null, "medium", md[2]),
            mean(true, null, "large", md[2]),
            mean(false, null, "all", md[0]),
            mean(false, null, "all", md[1]),
            mean(false, null, "all", md[2]),
            mean(false, null, "small", md[2]),
            mean(false, null, "medium", md[2]),
            mean(false, null, "large", md[2]),
        };
    }

    /**
     * COCOeval's {@code _summarize}: the numpy mean of the selected entries that are {@code > -1} (in C order
     * t, r, k), or -1 when there are none. IoU thresholds are selected by exact equality, as pycocotools does.
     */
    private double mean(boolean ap, Double iouThr, String area, int maxDet) {
        int[] ts = iouThr == null ? IntStream.range(0, arrays.nT).toArray()
                : params.iouIndicesEqualTo(iouThr);
        int a = params.areaIndex(area);
        int m = params.maxDetIndex(maxDet);
        if (a < 0 || m < 0) {
            return -1;
        }
        double[] vals = new double[ts.length * arrays.nR * arrays.nK];
        int n = 0;
        for (int t : ts) {
            if (ap) {
                for (int r = 0; r < arrays.nR; r++) {
                    for (int k = 0; k < arrays.nK; k++) {
                        double v = precision(t, r, k, a, m);
                        if (v > -1) {
                            vals[n++] = v;
                        }
                    }
                }
            } else {
                for (int k = 0; k < arrays.nK; k++) {
                    double v = recall(t, k, a, m);
                    if (v > -1) {
                        vals[n++] = v;
                    }
                }
            }
        }
        return n == 0 ? -1 : Numpy.mean(vals, n);
    }

    /** The accumulated arrays, flat, filled with -1 until a setting is computed. */
    static final class Arrays {
        final int nT, nR, nK, nA, nM;
        final double[] precision;
        final double[] scores;
        final double[] recall;

        Arrays(int nT, int nR, int nK, int nA, int nM) {
            this.nT = nT;
            this.nR = nR;
            this.nK = nK;
            this.nA = nA;
            this.nM = nM;
            precision = new double[nT * nR * nK * nA * nM];
            scores = new double[precision.length];
            recall = new double[nT * nK * nA * nM];
            java.util.Arrays.fill(precision, -1);
            java.util.Arrays.fill(scores, -1);
            java.util.Arrays.fill(recall, -1);
        }

        int index5(int t, int r, int k, int a, int m) {
            return (((t * nR + r) * nK + k) * nA + a) * nM + m;
        }

        int index4(int t, int k, int a, int m) {
            return ((t * nK + k) * nA + a) * nM + m;
        }

        void setPrecision(int t, int r, int k, int a, int m, double v) {
            precision[index5(t, r, k, a, m)] = v;
        }

        void setScore(int t, int r, int k, int a, int m, double v) {
            scores[index5(t, r, k, a, m)] = v;
        }

        void setRecall(int t, int k, int a, int m, double v) {
            recall[index4(t, k, a, m)] = v;
        }
    }
}
