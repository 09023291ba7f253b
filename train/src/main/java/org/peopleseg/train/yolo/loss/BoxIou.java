package org.peopleseg.train.yolo.loss;

/**
 * Complete IoU of two xyxy boxes as Ultralytics' {@code bbox_iou(..., CIoU=True)} defines it (utils/metrics.py;
 * Zheng et al. 2020): IoU - (centre distance^2 / enclosing diagonal^2 + v * alpha), v = 4/pi^2 (atan(w2/h2) -
 * atan(w1/h1))^2, alpha = v / (v - IoU + 1 + eps), eps = 1e-7 added to the heights, the union and the diagonal.
 * This is the assigner's (no gradient) version; {@link SegmentationLoss} computes the same on arrays.
 */
final class BoxIou {
    static final double EPS = 1e-7;

    private BoxIou() {}

    static double ciou(double ax1, double ay1, double ax2, double ay2, double bx1, double by1, double bx2, double by2) {
        double w1 = ax2 - ax1, h1 = ay2 - ay1 + EPS;
        double w2 = bx2 - bx1, h2 = by2 - by1 + EPS;
        double iw = Math.max(0, Math.min(ax2, bx2) - Math.max(ax1, bx1));
        double ih = Math.max(0, Math.min(ay2, by2) - Math.max(ay1, by1));
        double inter = iw * ih;
        double union = w1 * h1 + w2 * h2 - inter + EPS;
        double iou = inter / union;
        double cw = Math.max(ax2, bx2) - Math.min(ax1, bx1);
        double ch = Math.max(ay2, by2) - Math.min(ay1, by1);
        double c2 = cw * cw + ch * ch + EPS;
        double dx = bx1 + bx2 - ax1 - ax2, dy = by1 + by2 - ay1 - ay2;
        double rho2 = (dx * dx + dy * dy) / 4;
        double d = Math.atan(w2 / h2) - Math.atan(w1 / h1);
        double v = 4 / (Math.PI * Math.PI) * d * d;
        double alpha = v / (v - iou + (1 + EPS));
        return iou - (rho2 / c2 + v * alpha);
    }
}
