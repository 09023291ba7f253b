package org.peopleseg.optimize.calib;

import org.peopleseg.optimize.graph.ActivationQuant;

/** How an activation's uint8 range is chosen from its {@link TensorStats}. */
public enum CalibrationMethod {
    /** The observed [min, max]: nothing clipped, coarse steps when a few values are far out. */
    MINMAX,
    /** Clip each tail where at most {@link #PERCENTILE_TAIL} of the values lie beyond. */
    PERCENTILE,
    /** TensorRT's entropy calibrator: the threshold minimising KL(reference || quantised). */
    ENTROPY;

    /** Fraction of values allowed beyond each end for {@link #PERCENTILE} (99.99th percentile). */
    public static final double PERCENTILE_TAIL = 1e-4;

    public ActivationQuant quant(TensorStats s) {
        return switch (this) {
            case MINMAX -> ActivationQuant.ofRange(s.min(), s.max());
            case PERCENTILE -> ActivationQuant.ofRange(
                    -Math.min(-s.min(), tail(s.negative(), s.count(), s.binWidth())),
                    Math.min(s.max(), tail(s.positive(), s.count(), s.binWidth())));
            case ENTROPY -> {
                double t = EntropyThreshold.threshold(s.min() < 0 ? s.magnitudes() : s.positive(),
                        s.min() < 0 ? EntropyThreshold.INT8_LEVELS : EntropyThreshold.UINT8_LEVELS) * s.binWidth();
                yield ActivationQuant.ofRange(Math.max(s.min(), -t), Math.min(s.max(), t));
            }
        };
    }

    /** The smallest bin edge with at most PERCENTILE_TAIL of all values above it. */
    private static double tail(long[] h, long total, double width) {
        double allowed = PERCENTILE_TAIL * total;
        long above = 0;
        for (int i = h.length - 1; i >= 0; i--) {
            if (above + h[i] > allowed) {
                return (i + 1) * width;
            }
            above += h[i];
        }
        return 0;
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
