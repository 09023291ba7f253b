package org.peopleseg.core.result;

import java.util.Objects;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.mask.BitMask;

/**
 * One detected object: the currency between every stage after the model.
 *
 * @param box        in original-image pixels
 * @param score      confidence in [0, 1]
 * @param categoryId COCO category id (person = 1)
 * @param label      human-readable class name ("person")
 * @param mask       full-resolution mask of the original image, or null for box-only models
 * @param trackId    persistent identity from a tracker, or -1 when untracked
 */
public record Instance(Box box, double score, int categoryId, String label, BitMask mask, long trackId) {

    public Instance {
        Objects.requireNonNull(box, "box");
        Objects.requireNonNull(label, "label");
    }

    public Instance(Box box, double score, int categoryId, String label, BitMask mask) {
        this(box, score, categoryId, label, mask, -1);
    }

    public Instance withTrackId(long id) {
        return new Instance(box, score, categoryId, label, mask, id);
    }

    public boolean hasMask() {
        return mask != null;
    }
}
