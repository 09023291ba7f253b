package org.peopleseg.train.run;

import java.util.LinkedHashMap;
import java.util.Map;

/** The Mask R-CNN's per-step progress line, in the format both trainers share ({@link ProgressFormat}). */
final class ProgressLine {
    private ProgressLine() {}

    static String format(StepRecord r, long total, double secondsPerStep) {
        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put("rpn_obj", r.objectness());
        terms.put("rpn_box", r.rpnBox());
        terms.put("cls", r.classifier());
        terms.put("box", r.box());
        terms.put("mask", r.mask());
        return ProgressFormat.line(r.step(), total, null, terms, r.total(), r.lr(), secondsPerStep, r.rssMb());
    }

    static String duration(double seconds) {
        return ProgressFormat.duration(seconds);
    }
}
