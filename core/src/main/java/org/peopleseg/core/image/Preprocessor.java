package org.peopleseg.core.image;

import java.awt.image.BufferedImage;

/**
 * Resize, normalise and pad an image for a detection network, reproducing torchvision's GeneralizedRCNNTransform
 * arithmetic: pixels to float32 p/255, (p - mean) / std per channel, then bilinear resizing with align_corners=False
 * (PyTorch's upsample_bilinear2d, no antialiasing) to the computed size, then zero padding bottom/right.
 */
public final class Preprocessor {
    /** How the output size is chosen. */
    public enum Mode {
        /** Scale to fit inside width x height keeping the aspect ratio; pad to exactly width x height (TAO). */
        FIT_PAD,
        /** torchvision: shorter side to {@code height} unless the longer would exceed {@code width}; pad to /32. */
        MIN_MAX
    }

    private final Mode mode;
    private final int width;
    private final int height;
    private final float[] mean;
    private final float[] std;
    private final int sizeDivisor;

    /**
     * @param width  canvas width (FIT_PAD) or torchvision max_size (MIN_MAX)
     * @param height canvas height (FIT_PAD) or torchvision min_size (MIN_MAX)
     */
    public Preprocessor(Mode mode, int width, int height, double[] mean, double[] std, int sizeDivisor) {
        this.mode = mode;
        this.width = width;
        this.height = height;
        this.mean = toFloats(mean);
        this.std = toFloats(std);
        this.sizeDivisor = sizeDivisor;
    }

    public NetworkInput apply(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] size = resizedSize(w, h);
        int rw = size[0], rh = size[1];
        int pw, ph;
        if (mode == Mode.FIT_PAD) {
            pw = width;
            ph = height;
        } else {
            pw = ceilTo(rw, sizeDivisor);
            ph = ceilTo(rh, sizeDivisor);
        }
        float[] normalised = normalise(image);
        float[] out = new float[3 * pw * ph];
        BilinearResize.resize(normalised, 3, h, w, out, ph, pw, rh, rw);
        return new NetworkInput(out, pw, ph, rw, rh, w, h);
    }

    /** {resizedWidth, resizedHeight} for an image of w x h. */
    public int[] resizedSize(int w, int h) {
        double scale;
        if (mode == Mode.MIN_MAX) {
            // torchvision: scale = min(min_size / shorter, max_size / longer) computed on float32 tensors, then
            // output floor(side * scale) in double (F.interpolate, recompute_scale_factor=True). The float32 step
            // matters: 640x427 gives 575 rows, not 576.
            float s = Math.min((float) height / (float) Math.min(w, h), (float) width / (float) Math.max(w, h));
            scale = s;
        } else {
            scale = Math.min((double) width / w, (double) height / h);
        }
        int rw = Math.max(1, (int) Math.floor(w * scale));
        int rh = Math.max(1, (int) Math.floor(h * scale));
        if (mode == Mode.FIT_PAD) {
            rw = Math.min(rw, width);
            rh = Math.min(rh, height);
        }
        return new int[] {rw, rh};
    }

    private float[] normalise(BufferedImage image) {
        int w = image.getWidth(), h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        float[] out = new float[3 * w * h];
        int plane = w * h;
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            out[i] = ((((p >> 16) & 0xFF) / 255f) - mean[0]) / std[0];
            out[plane + i] = ((((p >> 8) & 0xFF) / 255f) - mean[1]) / std[1];
            out[2 * plane + i] = (((p & 0xFF) / 255f) - mean[2]) / std[2];
        }
        return out;
    }

    private static int ceilTo(int v, int d) {
        return (v + d - 1) / d * d;
    }

    private static float[] toFloats(double[] v) {
        if (v.length != 3) {
            throw new IllegalArgumentException("need 3 channel values, got " + v.length);
        }
        return new float[] {(float) v[0], (float) v[1], (float) v[2]};
    }
}
