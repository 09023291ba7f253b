package org.peopleseg.train.yolo.data;

/**
 * Ultralytics' {@code augment_hsv} in float: hue scaled by a gain (wrapping), saturation and value scaled and
 * clipped to [0, 1]. Gains are 1 + U(-1, 1) * fraction, drawn by the caller.
 */
final class HsvJitter {
    private HsvJitter() {}

    static void apply(float[] chw, int plane, double hueGain, double satGain, double valGain) {
        float[] hsb = new float[3];
        for (int i = 0; i < plane; i++) {
            int r = Math.round(chw[i] * 255), g = Math.round(chw[plane + i] * 255), b = Math.round(chw[2 * plane + i] * 255);
            java.awt.Color.RGBtoHSB(r, g, b, hsb);
            float hh = (float) ((hsb[0] * hueGain) % 1.0);
            float ss = (float) Math.min(1, Math.max(0, hsb[1] * satGain));
            float vv = (float) Math.min(1, Math.max(0, hsb[2] * valGain));
            int rgb = java.awt.Color.HSBtoRGB(hh, ss, vv);
            chw[i] = ((rgb >> 16) & 255) / 255f;
            chw[plane + i] = ((rgb >> 8) & 255) / 255f;
            chw[2 * plane + i] = (rgb & 255) / 255f;
        }
    }
}
