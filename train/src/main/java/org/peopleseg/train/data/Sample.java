package org.peopleseg.train.data;

import org.peopleseg.train.net.ImageTargets;

/**
 * One image made ready for training: normalised planar RGB on its canvas, and the targets in canvas pixels.
 *
 * @param chw           [3, height, width] normalised pixels, zero padding bottom/right
 * @param resizedWidth  width of the image inside the canvas (proposals are clipped to it)
 * @param resizedHeight height of the image inside the canvas
 */
public record Sample(float[] chw, int width, int height, int resizedWidth, int resizedHeight, ImageTargets targets) {}
