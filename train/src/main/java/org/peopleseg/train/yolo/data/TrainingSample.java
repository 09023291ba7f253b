package org.peopleseg.train.yolo.data;

import org.peopleseg.train.yolo.loss.YoloTargets;

/** One network input ready for a step: planar RGB [3, H, W] in [0, 1] and its ground truth. */
public record TrainingSample(String source, float[] chw, int width, int height, YoloTargets targets) {}
