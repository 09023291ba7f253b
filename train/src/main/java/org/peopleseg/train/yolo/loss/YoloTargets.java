package org.peopleseg.train.yolo.loss;

/**
 * The ground truth of one network input.
 *
 * @param boxes  [gts x 4] x1, y1, x2, y2 in input pixels (after letterbox and augmentation)
 * @param labels class index per box (the package's label order)
 * @param masks  per box, its mask at prototype resolution [protoH x protoW] (1 = person), or null when the data
 *               has boxes only: then the mask term is skipped and the mask branch does not learn
 */
public record YoloTargets(float[] boxes, int[] labels, byte[][] masks) {
    public YoloTargets {
        if (boxes.length != 4 * labels.length || (masks != null && masks.length != labels.length)) {
            throw new IllegalArgumentException("boxes, labels and masks disagree: " + boxes.length / 4 + " boxes, "
                    + labels.length + " labels, " + (masks == null ? "no" : masks.length) + " masks");
        }
    }

    public int size() {
        return labels.length;
    }

    public boolean hasMasks() {
        return masks != null;
    }
}
