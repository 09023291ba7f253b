package org.peopleseg.core.dataset;

/**
 * One ground-truth object of a COCO {@code annotations} list.
 *
 * @param id           64-bit: COCO's crowd annotations have ids like {@code 900100000544}
 * @param imageId      the image it belongs to
 * @param categoryId   COCO category id (person = 1)
 * @param bbox         {@code [x, y, w, h]} as written
 * @param area         the {@code area} field as written (for polygons it is the polygon's geometric area, not the
 *                     pixel count); COCO evaluation sorts objects into small/medium/large by this number, so it is
 *                     never recomputed. When the file has no {@code area}, {@code w * h} of the box is used.
 * @param crowd        {@code iscrowd}: an ignore region, not a countable object
 * @param segmentation the mask, or null for box-only ground truth (an empty list in the file counts as none)
 */
public record CocoAnnotation(long id, long imageId, int categoryId, CocoBox bbox, double area, boolean crowd,
        CocoSegmentation segmentation) {

    public boolean hasSegmentation() {
        return segmentation != null;
    }
}
