package org.peopleseg.core.geometry;

/**
 * An axis-aligned box in pixels of the original image, corners (x1, y1) and (x2, y2) in the continuous sense used
 * by torchvision and COCO: width = x2 - x1 (no "+1").
 */
public record Box(double x1, double y1, double x2, double y2) {

    public Box {
        if (!(x2 >= x1) || !(y2 >= y1)) {
            throw new IllegalArgumentException("box corners out of order: " + x1 + "," + y1 + "," + x2 + "," + y2);
        }
    }

    /** From COCO's [x, y, width, height]. */
    public static Box fromXywh(double x, double y, double w, double h) {
        return new Box(x, y, x + w, y + h);
    }

    public double width() {
        return x2 - x1;
    }

    public double height() {
        return y2 - y1;
    }

    public double area() {
        return width() * height();
    }

    /** COCO's bbox: [x, y, width, height]. */
    public double[] toXywh() {
        return new double[] {x1, y1, width(), height()};
    }

    public double[] toXyxy() {
        return new double[] {x1, y1, x2, y2};
    }

    /** Intersection over union; 0 when the union is empty. */
    public double iou(Box other) {
        double iw = Math.min(x2, other.x2) - Math.max(x1, other.x1);
        double ih = Math.min(y2, other.y2) - Math.max(y1, other.y1);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double inter = iw * ih;
        double union = area() + other.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /** This box scaled per axis (e.g. from network-input pixels back to original-image pixels). */
    public Box scale(double sx, double sy) {
        return new Box(x1 * sx, y1 * sy, x2 * sx, y2 * sy);
    }

    /** This box clipped to [0, width] x [0, height]. */
    public Box clip(double width, double height) {
        return new Box(clamp(x1, width), clamp(y1, height), clamp(x2, width), clamp(y2, height));
    }

    private static double clamp(double v, double max) {
        return Math.max(0, Math.min(max, v));
    }
}
