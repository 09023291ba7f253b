package org.peopleseg.train.yolo.data;

import java.util.Random;

/**
 * Where a training window of width x height lies on the canvas the deploy package letterboxes to (canvasWidth x
 * canvasHeight). The window's centre is drawn uniformly over the whole canvas and the window is then pushed inside
 * it. Why not a uniform offset: with offsets uniform over [0, canvas - window] a canvas pixel at the border is in a
 * window with probability ~1 / (canvas - window + 1) against window / (canvas - window + 1) in the middle (for
 * 640 of 1600 columns: 0.1% against 67%), so people at the image edges — a clinic camera's back row is at the top —
 * would hardly ever be trained on. With the clamped centre a border pixel is covered with probability window /
 * (2 canvas) and an inner one with window / canvas: edges get half the middle's share, not ~nothing. Offsets are
 * whole pixels, so the crop is a shift of the canvas and resamples nothing.
 */
record CropWindow(int x, int y) {
    static CropWindow draw(int canvasWidth, int canvasHeight, int width, int height, Random rnd) {
        return new CropWindow(offset(canvasWidth, width, rnd.nextDouble()),
                offset(canvasHeight, height, rnd.nextDouble()));
    }

    private static int offset(int canvas, int window, double u) {
        int o = (int) Math.round(u * canvas - window / 2.0);
        return Math.max(0, Math.min(canvas - window, o));
    }
}
