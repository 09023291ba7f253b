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

    /**
     * @return the first trainable parameter whose gradient holds a NaN or an infinity, or null. It runs after every
     * image, so the common case reads one number: the sum of every gradient's absolute values (non-finite when any
     * element is); only then are the tensors looked at one by one to name the first.
     */
    static String firstNonFinite(Map<String, NDArray> params, List<String> trainable, NDManager parent) {
        try (NDManager tmp = parent.newSubManager()) {
            NDArray[] sums = new NDArray[trainable.size()];
            NDArray total = null;
            for (int i = 0; i < sums.length; i++) {
                NDArray g = params.get(trainable.get(i)).getGradient(); // a second handle: closing it keeps .grad
                g.attach(tmp);
                sums[i] = g.abs().sum();
                sums[i].attach(tmp);
                total = total == null ? sums[i] : total.add(sums[i]);
                total.attach(tmp);
            }
            if (total == null || Float.isFinite(total.getFloat())) {
                return null;
            }
            for (int i = 0; i < sums.length; i++) {
                if (!Float.isFinite(sums[i].getFloat())) {
                    return trainable.get(i);
                }
            }
            return null; // finite one by one, only their float sum overflowed: nothing to drop
        }
    }
}
