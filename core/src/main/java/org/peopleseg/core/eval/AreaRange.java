package org.peopleseg.core.eval;

/**
 * An object-size bucket of COCO evaluation, on the annotation's {@code area} field (pixels²), bounds inclusive on
 * both sides as in pycocotools ({@code area < min or area > max} is outside).
 */
public record AreaRange(String label, double min, double max) {

    public static final AreaRange ALL = new AreaRange("all", 0, 1e5 * 1e5);
    public static final AreaRange SMALL = new AreaRange("small", 0, 32 * 32);
    public static final AreaRange MEDIUM = new AreaRange("medium", 32 * 32, 96 * 96);
    public static final AreaRange LARGE = new AreaRange("large", 96 * 96, 1e5 * 1e5);

    public boolean contains(double area) {
        return !(area < min || area > max);
    }
}
