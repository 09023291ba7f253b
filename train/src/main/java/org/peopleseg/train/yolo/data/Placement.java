package org.peopleseg.train.yolo.data;

import java.awt.image.BufferedImage;
import java.util.List;
import org.peopleseg.core.dataset.CocoAnnotation;

/**
 * Where one source image lands on the network input: source pixel (x, y) goes to (x * kx + tx, y * ky + ty) before
 * the flip, and only inside the clip rectangle [clipX1, clipX2) x [clipY1, clipY2) of the input. A plain sample is
 * one placement clipped to the whole input; a mosaic is four, each clipped to what of it the mosaic canvas shows.
 * The image is drawn at rw x rh pixels (round(w * kx) x round(h * ky)) with its top-left corner at (tx, ty).
 */
record Placement(BufferedImage rgb, List<CocoAnnotation> annotations, int rw, int rh, int tx, int ty,
                 double clipX1, double clipY1, double clipX2, double clipY2) {
    double kx() {
        return (double) rw / rgb.getWidth();
    }

    double ky() {
        return (double) rh / rgb.getHeight();
    }
}
