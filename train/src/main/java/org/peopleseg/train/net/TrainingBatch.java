package org.peopleseg.train.net;

import java.util.List;

/**
 * A batch as the data pipeline hands it to the network: normalised pixels and per-image targets.
 *
 * @param pixels {@code batch x 3 x height x width} float values, NCHW row-major, already normalised with the
 *     model's mean/std (the same preprocessing the ONNX package applies)
 * @param imageSizes per image {height, width} of the un-padded resized image inside the canvas (proposals are
 *     clipped to it, as torchvision clips to {@code image_sizes})
 */
public record TrainingBatch(float[] pixels, int batch, int height, int width, List<int[]> imageSizes,
        List<ImageTargets> targets) {
    public TrainingBatch {
        if ((long) batch * 3 * height * width != pixels.length) {
            throw new IllegalArgumentException("pixels hold " + pixels.length + " values, not " + batch + "x3x"
                    + height + "x" + width);
        }
        imageSizes = List.copyOf(imageSizes);
        targets = List.copyOf(targets);
        if (targets.size() != batch || imageSizes.size() != batch) {
            throw new IllegalArgumentException("batch " + batch + " with " + targets.size() + " targets and "
                    + imageSizes.size() + " image sizes");
        }
    }
}
