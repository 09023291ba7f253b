package org.peopleseg.train.yolo.data;

/**
 * Augmentation for fixed cameras, with Ultralytics' default strengths (cfg/default.yaml): horizontal flip with
 * probability 0.5, random scale +/- 0.5 and translation +/- 0.1 of the input size (the affine part of
 * {@code random_perspective} without rotation, shear or perspective: a fixed camera does not roll), HSV jitter
 * (hue 0.015, saturation 0.7, value 0.4 as fractions). Mosaic (Ultralytics' default 1.0) is off: it builds scenes a
 * fixed camera never shows, and the few epochs a CPU fine-tune runs are better spent on the camera's real layout.
 */
public record Augmentation(double flipLr, double scale, double translate, double hsvH, double hsvS, double hsvV) {
    public static Augmentation fixedCamera() {
        return new Augmentation(0.5, 0.5, 0.1, 0.015, 0.7, 0.4);
    }

    public static Augmentation none() {
        return new Augmentation(0, 0, 0, 0, 0, 0);
    }
}
