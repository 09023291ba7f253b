package org.peopleseg.core.image;

/**
 * An image made ready for a network: normalised planar RGB [3, paddedHeight, paddedWidth], the image occupying the
 * top-left resizedWidth x resizedHeight and zeros elsewhere.
 *
 * @param chw            planar float data, channel-major
 * @param originalWidth  the source image's width
 * @param originalHeight the source image's height
 */
public record NetworkInput(float[] chw, int paddedWidth, int paddedHeight, int resizedWidth, int resizedHeight,
                           int originalWidth, int originalHeight) {

    /** Factor from network-input x to original-image x (torchvision's resize_boxes ratio, in float32). */
    public double scaleX() {
        return (float) originalWidth / (float) resizedWidth;
    }

    public double scaleY() {
        return (float) originalHeight / (float) resizedHeight;
    }
}
