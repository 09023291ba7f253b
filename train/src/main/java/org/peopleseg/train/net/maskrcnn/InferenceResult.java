package org.peopleseg.train.net.maskrcnn;

import java.util.List;

/**
 * What the network computes in inference mode for one image, in network-input pixels - the quantities the ONNX
 * package's debug graph outputs, for comparing the two engines.
 *
 * @param fpn per FPN level from min_level, [C * H * W] row-major
 * @param fpnShapes per level {C, H, W}
 * @param proposals [P * 4] best first
 * @param proposalScores [P] objectness probabilities
 * @param boxes [D * 4] x1, y1, x2, y2
 * @param scores [D]
 * @param labels [D] class index (1 = first foreground class)
 * @param masks [D * M * M] probabilities of the box's class, or empty without a mask head
 */
public record InferenceResult(List<float[]> fpn, List<int[]> fpnShapes, float[] proposals, float[] proposalScores,
                              float[] boxes,
                              float[] scores, int[] labels, float[] masks) {
    public int detections() {
        return scores.length;
    }
}
