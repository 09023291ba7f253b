package org.peopleseg.train.run;

import java.util.Locale;
import java.util.Map;

/**
 * The progress line both trainers print, one format:
 * <pre>
 * step 12/400  [epoch 1/10]  TERM v ...  total v  lr v  s/step  ETA 1m02s  RSS n MB
 * </pre>
 * A step is one forward/backward (a batch for Mask R-CNN, an image for YOLO-seg, whose optimiser steps every
 * {@code accumulate} images). Terms are the trainer's own loss names, in order.
 */
public final class ProgressFormat {
    private ProgressFormat() {}

    /** @param epoch "e/E" or null when the trainer counts steps only */
    public static String line(long step, long total, String epoch, Map<String, Double> terms, double lossTotal,
                              double lr, double secondsPerStep, double rssMb) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "step %d/%d", step, total));
        if (epoch != null) {
            b.append("  epoch ").append(epoch);
        }
        terms.forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %s %.4f", k, v)));
        long left = Math.max(0, total - step);
        b.append(String.format(Locale.ROOT, "  total %.4f  lr %.3g  %.2f s/step  ETA %s  RSS %.0f MB", lossTotal, lr,
                secondsPerStep, duration(left * secondsPerStep), rssMb));
        return b.toString();
    }

    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
