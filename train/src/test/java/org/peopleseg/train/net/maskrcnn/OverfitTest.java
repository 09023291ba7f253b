package org.peopleseg.train.net.maskrcnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.peopleseg.train.TrainingEngine;
import org.peopleseg.train.net.LossTerms;
import org.peopleseg.train.net.TrainingRules;

/**
 * The network learns: from torchvision's from-scratch initialisation, SGD on one synthetic image drives the total
 * loss far down in a few dozen steps; and a step leaves nothing behind in the model's NDManager.
 */
class OverfitTest {
    @Test
    void lossFallsOnOneImageAndStepsDoNotLeak() {
        Engine engine = TrainingEngine.get();
        var config = TinyNet.config();
        try (MaskRcnnTrainable net = new MaskRcnnTrainable(config, TinyNet.rules(TrainingRules.Sampling.RANDOM),
                Freezing.none(), MaskTargetRule.TORCHVISION, StartWeights.scratch(config, 1))) {
            var batch = TinyNet.batch();
            double first = 0, last = 0, firstMask = 0, lastMask = 0;
            int arrays = -1;
            int steps = 20;
            for (int s = 0; s < steps; s++) {
                try (NDManager step = engine.newBaseManager()) {
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        LossTerms loss = net.losses(step, batch);
                        gc.backward(loss.total());
                        double total = loss.total().getFloat();
                        assertTrue(Double.isFinite(total), "step " + s + " loss " + total);
                        if (s == 0) {
                            first = total;
                            firstMask = loss.mask().getFloat();
                        }
                        if (s == steps - 1) {
                            last = total;
                            lastMask = loss.mask().getFloat();
                        }
                        if (s % 10 == 0 || s == steps - 1) {
                            System.out.printf("step %2d total %.4f (rpn %.4f %.4f, cls %.4f, box %.4f, mask %.4f)%n", s,
                                    total, loss.rpnObjectness().getFloat(), loss.rpnBox().getFloat(),
                                    loss.classifier().getFloat(), loss.box().getFloat(), loss.mask().getFloat());
                        }
                    }
                }
                TinyNet.sgd(net.trainableParameters(), 0.005f);
                if (s == 1) {
                    arrays = net.managedArrays();
                } else if (s > 1) {
                    assertEquals(arrays, net.managedArrays(), "the model's manager grew at step " + s);
                }
            }
            assertEquals(steps, net.samplingStep());
            assertTrue(last < 0.35 * first, "total loss " + first + " -> " + last);
            assertTrue(lastMask < 0.7 * firstMask, "mask loss " + firstMask + " -> " + lastMask);
        }
    }
}
