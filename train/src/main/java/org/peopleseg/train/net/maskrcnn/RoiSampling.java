package org.peopleseg.train.net.maskrcnn;

/**
 * torchvision's {@code roi_align} (CPU kernel, version 0.14) as a list of bilinear taps: for each output bin of one
 * RoI, the sampling grid points and, for each, the four neighbouring cells with their weights divided by the
 * bin's sample count. Both the differentiable feature pooling ({@link RoiFeatures}, as a sparse matrix) and the
 * mask targets ({@link MaskTargets}) are built on it, so they share one definition.
 *
 * <p>Per RoI: start = corner * scale - (aligned ? 0.5 : 0); size = end - start, at least 1 when not aligned; bin =
 * size / S; grid = samplingRatio > 0 ? samplingRatio : ceil(size / S) per axis; a point outside [-1, H] x [-1, W]
 * contributes 0; coordinates below 0 clamp to 0; at the last row/column both neighbours are that row/column.
 */
final class RoiSampling {
    /** Receives one tap: output bin (row-major in S x S), cell index y * W + x, weight. */
    interface Taps {
        void tap(int bin, int cell, float weight);
    }

    private RoiSampling() {}

    static void taps(float x1, float y1, float x2, float y2, float scale, int height, int width, int outputSize,
                     int samplingRatio, boolean aligned, Taps out) {
        float offset = aligned ? 0.5f : 0f;
        float startW = x1 * scale - offset;
        float startH = y1 * scale - offset;
        float roiW = x2 * scale - offset - startW;
        float roiH = y2 * scale - offset - startH;
        if (!aligned) {
            roiW = Math.max(roiW, 1f);
            roiH = Math.max(roiH, 1f);
        }
        float binH = roiH / outputSize;
        float binW = roiW / outputSize;
        int gridH = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(roiH / outputSize);
        int gridW = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(roiW / outputSize);
        float count = Math.max(gridH * gridW, 1);
        for (int ph = 0; ph < outputSize; ph++) {
            for (int pw = 0; pw < outputSize; pw++) {
                int bin = ph * outputSize + pw;
                for (int iy = 0; iy < gridH; iy++) {
                    float yy = startH + ph * binH + (iy + .5f) * binH / gridH;
                    for (int ix = 0; ix < gridW; ix++) {
                        float xx = startW + pw * binW + (ix + .5f) * binW / gridW;
                        bilinear(yy, xx, height, width, bin, count, out);
                    }
                }
            }
        }
    }

    private static void bilinear(float y, float x, int height, int width, int bin, float count, Taps out) {
        if (y < -1.0f || y > height || x < -1.0f || x > width) {
            return;
        }
        if (y <= 0) {
            y = 0;
        }
        if (x <= 0) {
            x = 0;
        }
        int yLow = (int) y, xLow = (int) x, yHigh, xHigh;
        if (yLow >= height - 1) {
            yHigh = yLow = height - 1;
            y = yLow;
        } else {
            yHigh = yLow + 1;
        }
        if (xLow >= width - 1) {
            xHigh = xLow = width - 1;
            x = xLow;
        } else {
            xHigh = xLow + 1;
        }
        float ly = y - yLow, lx = x - xLow, hy = 1f - ly, hx = 1f - lx;
        out.tap(bin, yLow * width + xLow, hy * hx / count);
        out.tap(bin, yLow * width + xHigh, hy * lx / count);
        out.tap(bin, yHigh * width + xLow, ly * hx / count);
        out.tap(bin, yHigh * width + xHigh, ly * lx / count);
    }
}
