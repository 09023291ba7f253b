package org.peopleseg.core.eval;

/**
 * The PeopleSegNet model card's KPIs at one confidence threshold: detections with {@code score >= threshold} matched
 * one-to-one to ground truth at {@code IoU > iou}.
 *
 * <p>Ratios whose denominator is 0 are {@code NaN} (written as JSON {@code null}): precision without detections,
 * recall without ground truth, accuracy and F1 with neither. F1 is {@code 2tp / (2tp + fp + fn)}, the harmonic mean
 * of precision and recall written so that it stays defined (0) when there are ground truths but no detections.
 *
 * @param threshold  minimum score of a detection taken into account
 * @param iou        IoU a match must exceed (strictly)
 * @param tp         detections matched to a ground-truth object
 * @param fp         detections matched to nothing (and not inside a crowd region)
 * @param fn         ground-truth objects (crowd regions excluded) no detection matched
 * @param ignored    detections that matched no object but lie in a crowd ({@code iscrowd}) region: neither TP nor FP
 * @param precision  tp / (tp + fp)
 * @param recall     tp / (tp + fn)
 * @param f1         2tp / (2tp + fp + fn)
 * @param accuracy   tp / (tp + fp + fn), the model card's "accuracy"
 */
public record Kpi(double threshold, double iou, long tp, long fp, long fn, long ignored, double precision,
        double recall, double f1, double accuracy) {

    public static Kpi of(double threshold, double iou, long tp, long fp, long fn, long ignored) {
        return new Kpi(threshold, iou, tp, fp, fn, ignored, ratio(tp, tp + fp), ratio(tp, tp + fn),
                ratio(2 * tp, 2 * tp + fp + fn), ratio(tp, tp + fp + fn));
    }

    private static double ratio(long num, long den) {
        return den == 0 ? Double.NaN : (double) num / den;
    }
}
