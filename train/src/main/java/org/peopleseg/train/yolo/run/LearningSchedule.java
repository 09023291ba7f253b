package org.peopleseg.train.yolo.run;

/**
 * Ultralytics' schedule (engine/trainer.py): per epoch lr = lr0 * lf(epoch), lf linear from 1 to lrf; during the
 * first max(round(warmup_epochs * batches per epoch), 100) iterations the weight lr rises linearly from 0 and the
 * bias lr falls from warmup_bias_lr to that value, momentum rises from warmup_momentum, and the accumulation count
 * grows from 1 to nbs / batch.
 */
final class LearningSchedule {
    private final Hyperparameters hp;
    private final int epochs;
    private final long warmupIterations;
    private final int accumulate;

    LearningSchedule(Hyperparameters hp, int epochs, int batchesPerEpoch, int batch) {
        this.hp = hp;
        this.epochs = epochs;
        this.warmupIterations = hp.warmupEpochs() > 0
                ? Math.max(Math.round(hp.warmupEpochs() * batchesPerEpoch), 100) : -1;
        this.accumulate = Math.max((int) Math.round((double) hp.nbs() / batch), 1);
    }

    double lf(int epoch) {
        return Math.max(1 - (double) epoch / epochs, 0) * (1 - hp.lrf()) + hp.lrf();
    }

    /** The settings at iteration {@code ni} (images seen, batch 1) in {@code epoch}. */
    Point at(long ni, int epoch) {
        double base = hp.lr0() * lf(epoch);
        if (ni <= warmupIterations) {
            double f = (double) ni / warmupIterations;
            int acc = Math.max(1, (int) Math.round(1 + f * (accumulate - 1)));
            return new Point(f * base, hp.warmupBiasLr() + f * (base - hp.warmupBiasLr()),
                    hp.warmupMomentum() + f * (hp.momentum() - hp.warmupMomentum()), acc);
        }
        return new Point(base, base, hp.momentum(), accumulate);
    }

    int accumulate() {
        return accumulate;
    }

    long warmupIterations() {
        return warmupIterations;
    }

    /** Learning rates of the weight and bias groups, momentum (or beta1), images per optimiser step. */
    record Point(double weightLr, double biasLr, double momentum, int accumulate) {}
}
