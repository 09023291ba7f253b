package org.peopleseg.train.net;

import java.util.List;

/**
 * One training image's ground truth, in network-input pixels (after resize, padding and flip).
 *
 * @param boxesXyxy per instance {x1, y1, x2, y2}
 * @param labels per instance, contiguous class index (1 = person; 0 is background and never appears here)
 * @param masks per instance a {@code height x width} bitmap (row-major, 0/1) at network-input resolution, or
 *     {@code null} for box-only data (the mask loss is then skipped for this image)
 * @param height network-input height of the bitmaps
 * @param width network-input width of the bitmaps
 */
public record ImageTargets(List<float[]> boxesXyxy, int[] labels, List<byte[]> masks, int height, int width) {
    public ImageTargets {
        boxesXyxy = List.copyOf(boxesXyxy);
        labels = labels.clone();
        if (labels.length != boxesXyxy.size()) {
            throw new IllegalArgumentException(boxesXyxy.size() + " boxes but " + labels.length + " labels");
        }
        if (masks != null) {
            masks = List.copyOf(masks);
            if (masks.size() != labels.length) {
                throw new IllegalArgumentException(labels.length + " instances but " + masks.size() + " masks");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    public boolean hasMasks() {
        return masks != null;
    }
}
