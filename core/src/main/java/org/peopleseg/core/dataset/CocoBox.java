package org.peopleseg.core.dataset;

import org.peopleseg.core.geometry.Box;

/**
 * A COCO box {@code [x, y, width, height]} kept exactly as written in the JSON.
 *
 * <p>Why not {@link Box}: pycocotools computes box IoU and areas on these four numbers
 * ({@code area = w * h}, {@code right = x + w}); going through corners and back ({@code (x + w) - x}) can change the
 * last bit of a width, and an IoU that lands exactly on a threshold then flips. Keeping the original numbers makes
 * the COCO numbers bit-identical.
 */
public record CocoBox(double x, double y, double width, double height) {

    /** From a COCO {@code [x, y, w, h]} array. */
    public static CocoBox of(double[] xywh) {
        if (xywh.length != 4) {
            throw new IllegalArgumentException("a COCO box needs 4 numbers [x,y,w,h], got " + xywh.length);
        }
        return new CocoBox(xywh[0], xywh[1], xywh[2], xywh[3]);
    }

    /** From corners, as a model produces them. */
    public static CocoBox of(Box box) {
        return new CocoBox(box.x1(), box.y1(), box.width(), box.height());
    }

    /** {@code width * height}, the area pycocotools' {@code loadRes} gives a detection that has a bbox. */
    public double area() {
        return width * height;
    }

    /** Corners, for drawing and for the rest of the project. */
    public Box toBox() {
        return new Box(x, y, x + Math.max(0, width), y + Math.max(0, height));
    }

    public double[] toArray() {
        return new double[] {x, y, width, height};
    }

    /**
     * The outline {@code [x1,y1, x1,y2, x2,y2, x2,y1]} that pycocotools' {@code loadRes} gives a detection without
     * a segmentation; rasterised, it is the detection's mask in {@code segm} evaluation.
     */
    public double[] toPolygon() {
        double x2 = x + width;
        double y2 = y + height;
        return new double[] {x, y, x, y2, x2, y2, x2, y};
    }
}
