package org.peopleseg.train.yolo.run;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;

/** Where the fine-tuning loop is: what a checkpoint restores. A fresh run starts at all zeros. */
final class RunState {
    int epoch;
    int intoEpoch;
    long ni;
    long lastStep = -1;
    double[] sums = new double[5];
    int seen;
    int skipped;
    double seconds;

    /**
     * Puts {@code c}'s weights, optimiser state and pending gradient accumulation into the run and returns its
     * position.
     *
     * @throws IllegalArgumentException a checkpoint weight that this package does not have, or of another size
     */
    static RunState restore(Engine engine, Checkpoint c, Map<String, NDArray> params, List<String> trainable,
                            Optimizer opt) {
        for (Map.Entry<String, float[]> e : c.weights().entrySet()) {
            NDArray p = params.get(e.getKey());
            if (p == null || p.size() != e.getValue().length) {
                throw new IllegalArgumentException("the checkpoint's weight " + e.getKey()
                        + " does not fit this package");
            }
            p.set(e.getValue());
        }
        opt.restore(c.optimizerState(), params, c.optimizerSteps());
        if (!c.gradients().isEmpty()) {
            // The pending accumulation, restored exactly: d/dp sum(p * g) = g, added to a zero gradient.
            try (NDManager tmp = params.get(trainable.get(0)).getManager().newSubManager();
                 GradientCollector gc = engine.newGradientCollector()) {
                NDArray sum = null;
                for (Map.Entry<String, float[]> e : c.gradients().entrySet()) {
                    NDArray p = params.get(e.getKey());
                    NDArray g = tmp.create(e.getValue(), p.getShape());
                    NDArray term = p.mul(g).sum();
                    term.attach(tmp);
                    sum = sum == null ? term : sum.add(term);
                    sum.attach(tmp);
                }
                gc.backward(sum);
            }
        }
        RunState st = new RunState();
        st.epoch = c.epochsDone();
        st.intoEpoch = c.imagesIntoEpoch();
        st.ni = c.step();
        st.lastStep = c.lastOptimizerStep();
        st.sums = c.epochSums().clone();
        st.seen = c.epochSeen();
        st.skipped = c.epochSkipped();
        st.seconds = c.epochSeconds();
        return st;
    }
}
