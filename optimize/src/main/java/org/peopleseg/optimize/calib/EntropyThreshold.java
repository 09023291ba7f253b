package org.peopleseg.optimize.calib;

/**
 * TensorRT's entropy calibration (Migacz, "8-bit Inference with TensorRT", GTC 2017; the same algorithm as MXNet's
 * {@code _get_optimal_threshold}): for every candidate threshold of {@code i} bins, the reference distribution P is
 * the first {@code i} bins with everything beyond added to the last one (clipping), Q is those {@code i} bins merged
 * into {@code levels} quantisation levels and spread back evenly over P's non-empty bins; the threshold with the
 * smallest KL(P || Q) wins. Both are smoothed as MXNet does (eps 1e-4 moved onto empty bins) so the divergence stays
 * finite.
 *
 * <p>TensorRT quantises symmetrically to int8 and uses 128 levels over |x|. Our activations are uint8: a tensor
 * with negative values is treated as TensorRT does (|x|, 128 levels); a non-negative one (ReLU outputs) gets all
 * 255 steps of uint8 over [0, threshold], so its search uses 255 levels.
 */
final class EntropyThreshold {
    static final int INT8_LEVELS = 128;
    static final int UINT8_LEVELS = 255;
    private static final double EPS = 1e-4;

    private EntropyThreshold() {}

    /** @return the chosen threshold as a number of bins (its value is that times the bin width) */
    static int threshold(long[] hist, int levels) {
        int bins = hist.length;
        int last = bins;
        while (last > 0 && hist[last - 1] == 0) {
            last--;
        }
        if (last <= levels) {
            return last; // every value already fits in its own level: nothing to clip
        }
        long[] suffix = new long[bins + 1];
        for (int i = bins - 1; i >= 0; i--) {
            suffix[i] = suffix[i + 1] + hist[i];
        }
        double best = Double.POSITIVE_INFINITY;
        int bestI = last;
        double[] p = new double[bins];
        double[] q = new double[bins];
        for (int i = levels; i <= last; i++) {
            for (int k = 0; k < i; k++) {
                p[k] = hist[k];
            }
            p[i - 1] += suffix[i];
            java.util.Arrays.fill(q, 0, i, 0);
            double merged = (double) i / levels;
            for (int j = 0; j < levels; j++) {
                int start = (int) Math.floor(j * merged);
                int stop = j == levels - 1 ? i : (int) Math.floor((j + 1) * merged);
                double sum = 0;
                int nonEmpty = 0;
                for (int k = start; k < stop; k++) {
                    sum += hist[k];
                    if (p[k] != 0) {
                        nonEmpty++;
                    }
                }
                if (nonEmpty > 0) {
                    for (int k = start; k < stop; k++) {
                        q[k] = p[k] != 0 ? sum / nonEmpty : 0;
                    }
                }
            }
            double kl = divergence(p, q, i);
            if (kl < best) {
                best = kl;
                bestI = i;
            }
        }
        return bestI;
    }

    private static double divergence(double[] p, double[] q, int n) {
        double[] ps = smooth(p, n);
        double[] qs = smooth(q, n);
        if (ps == null || qs == null) {
            return Double.POSITIVE_INFINITY;
        }
        double kl = 0;
        for (int k = 0; k < n; k++) {
            if (ps[k] > 0) {
                kl += ps[k] * Math.log(ps[k] / qs[k]);
            }
        }
        return kl;
    }

    /** Normalised, with EPS on empty bins taken evenly from the others (MXNet's _smooth_distribution). */
    private static double[] smooth(double[] h, int n) {
        double total = 0;
        int zeros = 0;
        for (int k = 0; k < n; k++) {
            total += h[k];
            if (h[k] == 0) {
                zeros++;
            }
        }
        int nonZeros = n - zeros;
        if (total == 0 || nonZeros == 0) {
            return null;
        }
        double take = EPS * zeros / nonZeros;
        double[] out = new double[n];
        for (int k = 0; k < n; k++) {
            out[k] = h[k] == 0 ? EPS : Math.max(h[k] / total - take, 1e-12);
        }
        return out;
    }
}
