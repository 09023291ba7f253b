package org.peopleseg.train.yolo.loss;

/**
 * The loss gains (Ultralytics' default.yaml: box 7.5, cls 0.5, dfl 1.5; the mask term is scaled by the box gain,
 * as v8SegmentationLoss does).
 */
public record LossGains(double box, double cls, double dfl) {
    public static LossGains ultralytics() {
        return new LossGains(7.5, 0.5, 1.5);
    }
}
