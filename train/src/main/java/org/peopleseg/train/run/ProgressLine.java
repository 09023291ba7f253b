package org.peopleseg.train.run;

import java.util.Locale;

/** The per-step progress line: step/total, each loss, LR, s/step, ETA, RSS. */
final class ProgressLine {
    private ProgressLine() {}

    static String format(StepRecord r, long total, double secondsPerStep) {
        long left = Math.max(0, total - r.step());
        return String.format(Locale.ROOT,
                "step %d/%d  rpn_obj %.4f  rpn_box %.4f  cls %.4f  box %.4f  mask %.4f  total %.4f  lr %.3g  "
                        + "%.2f s/step  ETA %s  RSS %.0f MB",
                r.step(), total, r.objectness(), r.rpnBox(), r.classifier(), r.box(), r.mask(), r.total(), r.lr(),
                secondsPerStep, duration(left * secondsPerStep), r.rssMb());
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
