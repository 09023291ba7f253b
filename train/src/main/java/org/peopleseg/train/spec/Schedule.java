package org.peopleseg.train.spec;

/**
 * The optimisation half of a TAO experiment, with TAO's meaning.
 *
 * @param seed                  {@code seed}: data order, flips and the samplers
 * @param batchSize             {@code train_batch_size}
 * @param totalSteps            {@code total_steps}, or derived from {@code num_epochs} (0 until the data is known)
 * @param numEpochs             {@code num_epochs} (0: use total_steps)
 * @param examplesPerEpoch      {@code num_examples_per_epoch} (0: the training set's size)
 * @param warmupSteps           {@code warmup_steps}
 * @param warmupLearningRate    {@code warmup_learning_rate}
 * @param initLearningRate      {@code init_learning_rate}
 * @param learningRateSteps     {@code learning_rate_steps}
 * @param decayLevels           {@code learning_rate_decay_levels}: the LR becomes init_lr * level at each step
 * @param momentum              {@code momentum}
 * @param l2WeightDecay         {@code l2_weight_decay} (weights only, not biases or batch norm, as TAO)
 * @param l1WeightDecay         {@code l1_weight_decay} (same parameters)
 * @param gradientClipNorm      {@code global_gradient_clip_ratio}: clip the global gradient norm to it (0: off)
 * @param stepsPerEval          {@code num_steps_per_eval}: checkpoint + evaluation period
 * @param loggingFrequency      {@code logging_frequency}: a progress line every that many steps (train.jsonl
 *                              always gets every step)
 */
public record Schedule(long seed, int batchSize, int totalSteps, int numEpochs, int examplesPerEpoch, int warmupSteps,
        double warmupLearningRate, double initLearningRate, double[] learningRateSteps, double[] decayLevels,
        double momentum, double l2WeightDecay, double l1WeightDecay, double gradientClipNorm, int stepsPerEval,
        int loggingFrequency) {

    public Schedule {
        learningRateSteps = learningRateSteps.clone();
        decayLevels = decayLevels.clone();
    }

    /** total_steps from num_epochs once the training set's size is known (TAO: epochs x examples / batch). */
    public Schedule withTrainingImages(int images) {
        if (numEpochs == 0) {
            return this;
        }
        int perEpoch = examplesPerEpoch > 0 ? examplesPerEpoch : images;
        int steps = (int) Math.max(1, Math.ceil((double) numEpochs * perEpoch / batchSize));
        return new Schedule(seed, batchSize, steps, numEpochs, examplesPerEpoch, warmupSteps, warmupLearningRate,
                initLearningRate, learningRateSteps, decayLevels, momentum, l2WeightDecay, l1WeightDecay,
                gradientClipNorm, stepsPerEval, loggingFrequency);
    }

    @Override
    public double[] learningRateSteps() {
        return learningRateSteps.clone();
    }

    @Override
    public double[] decayLevels() {
        return decayLevels.clone();
    }
}
