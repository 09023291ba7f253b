package org.peopleseg.train.yolo.data;

/**
 * Augmentation for fixed cameras, with Ultralytics' default strengths (cfg/default.yaml): horizontal flip with
 * probability 0.5, random scale +/- 0.5 and translation +/- 0.1 of the input size (the affine part of
 * {@code random_perspective} without rotation, shear or perspective: a fixed camera does not roll), HSV jitter
 * (hue 0.015, saturation 0.7, value 0.4 as fractions). {@code mosaic} is the share of samples built as a 4-image
 * {@link Mosaic} (Ultralytics' default 1.0); off by default here: it composes scenes a fixed camera never shows —
 * whether it still helps is measured in the README.
 */
public record Augmentation(double flipLr, double scale, double translate, double hsvH, double hsvS, double hsvV,
                           double mosaic) {
    public Augmentation {
        if (!(mosaic >= 0 && mosaic <= 1)) {
            throw new IllegalArgumentException("mosaic must be a probability in [0, 1], not " + mosaic);
        }
    }

    /** Without mosaic. */
    public Augmentation(double flipLr, double scale, double translate, double hsvH, double hsvS, double hsvV) {
        this(flipLr, scale, translate, hsvH, hsvS, hsvV, 0);
    }

    public static Augmentation fixedCamera() {
        return new Augmentation(0.5, 0.5, 0.1, 0.015, 0.7, 0.4);
    }

    public static Augmentation none() {
        return new Augmentation(0, 0, 0, 0, 0, 0);
    }
}
