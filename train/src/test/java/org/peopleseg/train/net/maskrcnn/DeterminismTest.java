package org.peopleseg.train.net.maskrcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peopleseg.models.maskrcnn.WeightTensor;
import org.peopleseg.train.TrainingEngine;
import org.peopleseg.train.net.ImageTargets;
import org.peopleseg.train.net.TrainingBatch;
import org.peopleseg.train.net.TrainingRules;

/**
 * Two identical runs (random samplers, same seed) under garbage-collector pressure end with bit-identical weights:
 * a native buffer freed while autograd still reads it (the DJL traps RoiFeatures and Scalars avoid) shows up
 * here as diverging runs. Degenerate ground truth is refused as torchvision refuses it.
 */
class DeterminismTest {
    @Test
    void identicalRunsGiveIdenticalWeights() throws Exception {
        Map<String, WeightTensor> a = run();
        Map<String, WeightTensor> b = run();
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name).values(), b.get(name).values(), name);
        }
    }

    private static Map<String, WeightTensor> run() throws Exception {
        Engine engine = TrainingEngine.get();
        var config = TinyNet.config();
        try (MaskRcnnTrainable net = new MaskRcnnTrainable(config, TinyNet.rules(TrainingRules.Sampling.RANDOM),
                Freezing.none(), MaskTargetRule.TORCHVISION, StartWeights.scratch(config, 11))) {
            for (int s = 0; s < 4; s++) {
                try (NDManager step = engine.newBaseManager(); GradientCollector gc = engine.newGradientCollector()) {
                    var loss = net.losses(step, TinyNet.batch());
                    System.gc();
                    Thread.sleep(50);
                    gc.backward(loss.total());
                    assertTrue(Float.isFinite(loss.total().getFloat()));
                }
                TinyNet.sgd(net.trainableParameters(), 0.005f);
            }
            return net.stateDict();
        }
    }

    @Test
    void degenerateBoxesAreRefused() {
        var config = TinyNet.config();
        TrainingBatch good = TinyNet.batch();
        int s = TinyNet.SIZE;
        TrainingBatch bad = new TrainingBatch(good.pixels(), 1, s, s, List.of(new int[] {s, s}),
                List.of(new ImageTargets(List.of(new float[] {10, 10, 10, 40}), new int[] {1}, null, s, s)));
        try (MaskRcnnTrainable net = new MaskRcnnTrainable(config, TinyNet.rules(TrainingRules.Sampling.RANDOM),
                Freezing.none(), MaskTargetRule.TORCHVISION, StartWeights.scratch(config, 1));
             NDManager step = TrainingEngine.get().newBaseManager()) {
            var e = assertThrows(IllegalArgumentException.class, () -> net.losses(step, bad));
            assertTrue(e.getMessage().contains("positive width and height"), e.getMessage());
        }
    }
}
