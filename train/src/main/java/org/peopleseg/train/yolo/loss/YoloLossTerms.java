package org.peopleseg.train.yolo.loss;

/**
 * The YOLO segmentation loss of one step, each term before its gain, and the weighted total (Ultralytics'
 * {@code v8SegmentationLoss} order: box, seg, cls, dfl). Values, not arrays: the trainer reads the total's gradient
 * from the array it got alongside.
 */
public record YoloLossTerms(double box, double seg, double cls, double dfl, double total, int positives) {}
