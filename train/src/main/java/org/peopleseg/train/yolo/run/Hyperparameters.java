package org.peopleseg.train.yolo.run;

/**
 * Optimiser and schedule settings, Ultralytics' defaults (cfg/default.yaml): lr0 0.01, lrf 0.01 (linear decay to
 * lr0 * lrf), momentum 0.937 (SGD momentum / Adam beta1), weight_decay 5e-4, warmup 3 epochs from momentum 0.8 and
 * bias lr 0.1, nominal batch 64 (gradients are accumulated over nbs / batch images before a step, and the decay is
 * scaled by batch * accumulate / nbs).
 *
 * <p>{@code optimizer = "auto"} follows Ultralytics' {@code build_optimizer}: SGD (lr 0.01, momentum 0.9) when the
 * run has more than 10,000 iterations, else AdamW with lr = round(0.002 * 5 / (4 + classes), 6) and beta1 0.9, and
 * then the warmup bias lr is 0 (no higher than the base lr for Adam). A CPU fine-tune is always the short case:
 * AdamW, lr 0.002 for one class.
 */
public record Hyperparameters(String optimizer, double lr0, double lrf, double momentum, double weightDecay,
                              double warmupEpochs, double warmupMomentum, double warmupBiasLr, int nbs) {
    public static Hyperparameters ultralytics() {
        return new Hyperparameters("auto", 0.01, 0.01, 0.937, 5e-4, 3.0, 0.8, 0.1, 64);
    }

    public Hyperparameters withOptimizer(String name) {
        return new Hyperparameters(name, lr0, lrf, momentum, weightDecay, warmupEpochs, warmupMomentum, warmupBiasLr,
                nbs);
    }

    /** What 'auto' resolves to for a run of {@code iterations} optimiser steps over {@code classes} classes. */
    public Hyperparameters resolve(long iterations, int classes) {
        String name = optimizer.toLowerCase(java.util.Locale.ROOT);
        if (!name.equals("auto")) {
            if (!name.equals("sgd") && !name.equals("adamw")) {
                throw new IllegalArgumentException("optimizer must be auto, SGD or AdamW, not " + optimizer);
            }
            return withOptimizer(name.equals("sgd") ? "SGD" : "AdamW");
        }
        if (iterations > 10_000) {
            return new Hyperparameters("SGD", 0.01, lrf, 0.9, weightDecay, warmupEpochs, warmupMomentum, warmupBiasLr,
                    nbs);
        }
        double lrFit = Math.round(0.002 * 5 / (4 + classes) * 1e6) / 1e6;
        return new Hyperparameters("AdamW", lrFit, lrf, 0.9, weightDecay, warmupEpochs, warmupMomentum, 0.0, nbs);
    }
}
