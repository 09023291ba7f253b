package org.peopleseg.train.net.maskrcnn;

import java.util.SplittableRandom;
import org.peopleseg.train.net.TrainingRules;

/**
 * torchvision's {@code BalancedPositiveNegativeSampler}: of the positives (label 1) at most
 * {@code batchSize * positiveFraction}, filled up with negatives (label 0) to {@code batchSize}; candidates labelled
 * -1 are never drawn. RANDOM draws uniformly without replacement (torchvision: {@code randperm}; TAO: a random
 * shuffle, same distribution); FIRST_BY_INDEX takes the first ones in index order (the parity fixture patches
 * torchvision to the same rule).
 */
final class BalancedSampler {
    private BalancedSampler() {}

    /** @return per candidate: true when sampled; positives and negatives are told apart by their labels */
    static boolean[] sample(int[] labels, int batchSize, double positiveFraction, TrainingRules.Sampling rule,
                            SplittableRandom random) {
        int pos = 0, neg = 0;
        for (int l : labels) {
            if (l >= 1) {
                pos++;
            } else if (l == 0) {
                neg++;
            }
        }
        int numPos = Math.min((int) (batchSize * positiveFraction), pos);
        int numNeg = Math.min(batchSize - numPos, neg);
        boolean[] out = new boolean[labels.length];
        pick(labels, true, pos, numPos, rule, random, out);
        pick(labels, false, neg, numNeg, rule, random, out);
        return out;
    }

    private static void pick(int[] labels, boolean positive, int available, int wanted, TrainingRules.Sampling rule,
                             SplittableRandom random, boolean[] out) {
        int[] idx = new int[available];
        int k = 0;
        for (int i = 0; i < labels.length; i++) {
            if (positive ? labels[i] >= 1 : labels[i] == 0) {
                idx[k++] = i;
            }
        }
        if (rule == TrainingRules.Sampling.RANDOM) {
            for (int i = 0; i < wanted; i++) {
                int j = i + random.nextInt(available - i);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
        }
        for (int i = 0; i < wanted; i++) {
            out[idx[i]] = true;
        }
    }
}
