package org.peopleseg.train.net.maskrcnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peopleseg.train.TrainingEngine;
import org.peopleseg.train.net.ImageTargets;
import org.peopleseg.train.net.LossTerms;
import org.peopleseg.train.net.TrainingBatch;
import org.peopleseg.train.net.TrainingRules;

/**
 * Batches as torchvision forms them: losses are normalised over the whole batch (a batch of the same image twice
 * has the single image's losses), an image without people only contributes background, and box-only data has no
 * mask loss.
 */
class BatchTest {
    @Test
    void batchNormalisationEmptyImagesAndBoxOnlyData() {
        Engine engine = TrainingEngine.get();
        var config = TinyNet.config();
        TrainingBatch one = TinyNet.batch();
        int s = TinyNet.SIZE;
        float[] two = new float[one.pixels().length * 2];
        System.arraycopy(one.pixels(), 0, two, 0, one.pixels().length);
        System.arraycopy(one.pixels(), 0, two, one.pixels().length, one.pixels().length);
        TrainingBatch twice = new TrainingBatch(two, 2, s, s, List.of(new int[] {s, s}, new int[] {s, s}),
                List.of(one.targets().get(0), one.targets().get(0)));
        ImageTargets none = new ImageTargets(List.of(), new int[0], List.of(), s, s);
        TrainingBatch empty = new TrainingBatch(one.pixels(), 1, s, s, List.of(new int[] {s, s}), List.of(none));
        ImageTargets t = one.targets().get(0);
        TrainingBatch boxOnly = new TrainingBatch(one.pixels(), 1, s, s, List.of(new int[] {s, s}),
                List.of(new ImageTargets(t.boxesXyxy(), t.labels(), null, s, s)));
        try (MaskRcnnTrainable net = new MaskRcnnTrainable(config, TinyNet.rules(TrainingRules.Sampling.FIRST_BY_INDEX),
                Freezing.none(), MaskTargetRule.TORCHVISION, StartWeights.scratch(config, 2));
             NDManager step = engine.newBaseManager()) {
            LossTerms a = net.losses(step, one);
            LossTerms b = net.losses(step, twice);
            for (String name : List.of("rpn objectness", "rpn box", "classifier", "box", "mask")) {
                float va = pick(a, name), vb = pick(b, name);
                assertEquals(va, vb, 1e-4 * Math.abs(va) + 1e-7, name);
            }
            LossTerms e = net.losses(step, empty);
            assertTrue(Float.isFinite(e.total().getFloat()));
            assertEquals(0f, e.rpnBox().getFloat());
            assertEquals(0f, e.box().getFloat());
            assertEquals(0f, e.mask().getFloat());
            assertTrue(e.classifier().getFloat() > 0);
            LossTerms bo = net.losses(step, boxOnly);
            assertEquals(0f, bo.mask().getFloat());
            assertEquals(a.classifier().getFloat(), bo.classifier().getFloat(), 1e-6);
        }
    }

    private static float pick(LossTerms l, String name) {
        return switch (name) {
            case "rpn objectness" -> l.rpnObjectness().getFloat();
            case "rpn box" -> l.rpnBox().getFloat();
            case "classifier" -> l.classifier().getFloat();
            case "box" -> l.box().getFloat();
            default -> l.mask().getFloat();
        };
    }
}
