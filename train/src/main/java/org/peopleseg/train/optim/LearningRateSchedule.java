package org.peopleseg.train.optim;

import org.peopleseg.train.spec.Schedule;

/**
 * TAO's MaskRCNN learning rate ({@code step_learning_rate_with_linear_warmup}): for {@code step < warmup_steps}
 * linear from {@code warmup_learning_rate} to {@code init_learning_rate}
 * ({@code warmup_lr + step / warmup_steps * (init_lr - warmup_lr)}, float32 as TF computes it); afterwards
 * piecewise constant: {@code init_lr}, and from each {@code learning_rate_steps[i]} on
 * {@code init_lr * learning_rate_decay_levels[i]} (TAO multiplies the levels by init_lr when it reads the spec).
 * {@code step} is the 0-based global step whose update uses the rate, as TF's global_step.
 */
public final class LearningRateSchedule {
    private final int warmupSteps;
    private final double warmupLr;
    private final double initLr;
    private final double[] steps;
    private final double[] levels;

    public LearningRateSchedule(int warmupSteps, double warmupLr, double initLr, double[] steps, double[] decayLevels) {
        if (steps.length != decayLevels.length) {
            throw new IllegalArgumentException(steps.length + " learning rate steps but " + decayLevels.length + " levels");
        }
        this.warmupSteps = warmupSteps;
        this.warmupLr = warmupLr;
        this.initLr = initLr;
        this.steps = steps.clone();
        this.levels = decayLevels.clone();
    }

    public static LearningRateSchedule of(Schedule s) {
        return new LearningRateSchedule(s.warmupSteps(), s.warmupLearningRate(), s.initLearningRate(),
                s.learningRateSteps(), s.decayLevels());
    }

    public double at(long step) {
        if (step < warmupSteps) {
            float t = (float) step / warmupSteps;
            return (float) warmupLr + t * (float) (initLr - warmupLr);
        }
        double lr = initLr;
        for (int i = 0; i < steps.length; i++) {
            if (step >= steps[i]) {
                lr = initLr * levels[i];
            }
        }
        return lr;
    }
}
