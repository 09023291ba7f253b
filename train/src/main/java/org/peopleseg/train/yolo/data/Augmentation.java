package org.peopleseg.train.yolo.data;

/**
 * Augmentation for fixed cameras, with Ultralytics' default strengths (cfg/default.yaml): horizontal flip with
 * probability 0.5, random scale +/- 0.5 and translation +/- 0.1 of the input size (the affine part of
 * {@code random_perspective} without rotation, shear or perspective: a fixed camera does not roll), HSV jitter
 * (hue 0.015, saturation 0.7, value 0.4 as fractions). {@code mosaic} is the share of samples built as a 4-image
 * {@link Mosaic} (Ultralytics' default 1.0); off by default here: it composes scenes a fixed camera never shows —
 * whether it still helps is measured in the README.
 *
 * <p>{@code cropFromWidth} x {@code cropFromHeight} (0 x 0: off) trains at the deploy scale on a smaller input: the
 * image is letterboxed to that size — as the deployed package will see it — the scale/translate jitter applies in
 * that frame, and a random window of the training input's size is cut from it (see {@link CropWindow}). People keep
 * their deploy-time pixel size while a step costs the small input's forward/backward.
 */
public record Augmentation(double flipLr, double scale, double translate, double hsvH, double hsvS, double hsvV,
                           double mosaic, int cropFromWidth, int cropFromHeight) {
    public Augmentation {
        if (!(mosaic >= 0 && mosaic <= 1)) {
            throw new IllegalArgumentException("mosaic must be a probability in [0, 1], not " + mosaic);
        }
        if (cropFromWidth < 0 || cropFromHeight < 0 || (cropFromWidth == 0) != (cropFromHeight == 0)) {
            throw new IllegalArgumentException("crop-from must be WxH with both sides positive, not "
                    + cropFromWidth + "x" + cropFromHeight);
        }
        if (cropFromWidth > 0 && mosaic > 0) {
            // a mosaic composes its own canvas at the input size; the two placements do not combine
            throw new IllegalArgumentException("crop-from and mosaic do not combine: use one of them");
        }
    }

    /** Without crops. */
    public Augmentation(double flipLr, double scale, double translate, double hsvH, double hsvS, double hsvV,
                        double mosaic) {
        this(flipLr, scale, translate, hsvH, hsvS, hsvV, mosaic, 0, 0);
    }

    /** Without mosaic or crops. */
    public Augmentation(double flipLr, double scale, double translate, double hsvH, double hsvS, double hsvV) {
        this(flipLr, scale, translate, hsvH, hsvS, hsvV, 0);
    }

    /** The same, training on windows of the image letterboxed to width x height. */
    public Augmentation withCropFrom(int width, int height) {
        return new Augmentation(flipLr, scale, translate, hsvH, hsvS, hsvV, mosaic, width, height);
    }

    /** Whether each sample is a window of the crop-from canvas. */
    public boolean crops() {
        return cropFromWidth > 0;
    }

    public static Augmentation fixedCamera() {
        return new Augmentation(0.5, 0.5, 0.1, 0.015, 0.7, 0.4);
    }

    public static Augmentation none() {
        return new Augmentation(0, 0, 0, 0, 0, 0);
    }
}
