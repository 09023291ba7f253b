package org.peopleseg.train.yolo.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;

/**
 * Finds a non-finite accumulated gradient right after an image's backward pass, before any optimiser step can write
 * it into the weights (a NaN weight then makes every later loss NaN and hides which image caused it; with lr 0 in
 * the first warmup step, 0 x NaN is still NaN). The Mask R-CNN trainer checks its gradient norm the same way.
 */
final class GradientCheck {
    /** More non-finite gradients than this in one run stop it: then it is the data or the settings, not chance. */
    static final int MAX_PER_RUN = 3;

    private GradientCheck() {}

    /** Sets every trainable gradient to 0 (g - g would keep a NaN). */
    static void zero(Map<String, NDArray> params, List<String> trainable, NDManager parent) {
        try (NDManager tmp = parent.newSubManager()) {
            for (String name : trainable) {
                NDArray g = params.get(name).getGradient();
                g.attach(tmp);
                g.set(new float[Math.toIntExact(g.size())]);
            }
        }
    }

    /** @return the first trainable parameter whose gradient holds a NaN or an infinity, or null */
    static String firstNonFinite(Map<String, NDArray> params, List<String> trainable, NDManager parent) {
        try (NDManager tmp = parent.newSubManager()) {
            for (String name : trainable) {
                NDArray g = params.get(name).getGradient(); // a second handle on .grad: closing it keeps .grad
                g.attach(tmp);
                NDArray sum = g.abs().sum();
                sum.attach(tmp);
                if (!Float.isFinite(sum.getFloat())) {
                    return name;
                }
            }
            return null;
        }
    }
}
