package org.peopleseg.core.dataset;

import java.util.Objects;
import org.peopleseg.core.mask.Rle;
import org.peopleseg.core.result.EncodedInstance;
import org.peopleseg.core.result.Instance;

/**
 * One detection as COCO evaluation sees it: what a line of a COCO results file holds, after pycocotools'
 * {@code loadRes}.
 *
 * @param imageId      must be an image of the ground truth
 * @param categoryId   detections of categories absent from the ground truth are not evaluated (as in COCOeval)
 * @param bbox         {@code [x, y, w, h]}
 * @param score        confidence; ties keep list order everywhere (stable sorts)
 * @param area         what COCO's area ranges (small/medium/large) test for an unmatched detection. pycocotools'
 *                     {@code loadRes} sets {@code w * h} of the box when the results have boxes (also for
 *                     {@code segm} evaluation), else the mask's pixel count; {@link #of} and
 *                     {@link CocoResultsReader} follow that rule.
 * @param segmentation the mask, or null for box-only results (then {@code segm} evaluation uses the rasterised box,
 *                     as pycocotools does)
 */
public record CocoDetection(long imageId, int categoryId, CocoBox bbox, double score, double area,
        CocoSegmentation segmentation) {

    public CocoDetection {
        Objects.requireNonNull(bbox, "bbox");
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("detection score must be finite, got " + score);
        }
    }

    /** A detection with a box (and optionally a mask): its area is the box's {@code w * h}, as in {@code loadRes}. */
    public static CocoDetection of(long imageId, int categoryId, CocoBox bbox, double score,
            CocoSegmentation segmentation) {
        return new CocoDetection(imageId, categoryId, bbox, score, bbox.area(), segmentation);
    }

    /**
     * A model's instance as a detection of image {@code imageId}: box corners become {@code [x, y, w, h]}, a mask is
     * RLE-encoded (as a results file would hold it), and the area is the box's, as {@code loadRes} would set it.
     */
    public static CocoDetection fromInstance(long imageId, Instance instance) {
        CocoSegmentation segm = instance.hasMask() ? new CocoSegmentation.RleMask(Rle.encode(instance.mask())) : null;
        return of(imageId, instance.categoryId(), CocoBox.of(instance.box()), instance.score(), segm);
    }

    /** {@link #fromInstance} of the instance an {@link EncodedInstance} was encoded from. */
    public static CocoDetection fromEncoded(long imageId, EncodedInstance instance) {
        CocoSegmentation segm = instance.mask() != null ? new CocoSegmentation.RleMask(instance.mask()) : null;
        return of(imageId, instance.categoryId(), CocoBox.of(instance.box()), instance.score(), segm);
    }

    public boolean hasSegmentation() {
        return segmentation != null;
    }
}
