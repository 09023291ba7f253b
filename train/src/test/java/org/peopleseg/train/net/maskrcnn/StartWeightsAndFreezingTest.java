package org.peopleseg.train.net.maskrcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.models.maskrcnn.MaskRcnnPackage;
import org.peopleseg.models.maskrcnn.WeightTensor;
import org.peopleseg.train.TrainingEngine;
import org.peopleseg.train.net.LossTerms;
import org.peopleseg.train.net.TrainingRules;

/** Start weights (scratch, a package's folded weights), TAO's freeze_blocks / freeze_bn, and bad inputs. */
class StartWeightsAndFreezingTest {
    @TempDir
    Path tmp;

    @Test
    void frozenBlocksAreNotTrainedAndStayUnchanged() {
        Engine engine = TrainingEngine.get();
        var config = TinyNet.config();
        try (MaskRcnnTrainable net = new MaskRcnnTrainable(config, TinyNet.rules(TrainingRules.Sampling.FIRST_BY_INDEX),
                Freezing.of(List.of(0, 1), true), MaskTargetRule.TORCHVISION, StartWeights.scratch(config, 3))) {
            List<String> names = net.trainableParameters().stream().map(Parameter::getName).toList();
            assertFalse(names.contains("backbone.body.conv1.weight"));
            assertFalse(names.stream().anyMatch(n -> n.startsWith("backbone.body.layer1.")));
            assertTrue(names.contains("backbone.body.layer2.0.conv1.weight"));
            assertFalse(names.stream().anyMatch(n -> n.contains(".bn")), "batch norm is frozen");
            Map<String, WeightTensor> before = net.stateDict();
            try (NDManager step = engine.newBaseManager(); GradientCollector gc = engine.newGradientCollector()) {
                gc.backward(net.losses(step, TinyNet.batch()).total());
            }
            TinyNet.sgd(net.trainableParameters(), 0.01f);
            Map<String, WeightTensor> after = net.stateDict();
            assertArrayEquals(before.get("backbone.body.conv1.weight").values(),
                    after.get("backbone.body.conv1.weight").values());
            assertArrayEquals(before.get("backbone.body.layer1.0.conv2.weight").values(),
                    after.get("backbone.body.layer1.0.conv2.weight").values());
            assertFalse(java.util.Arrays.equals(before.get("backbone.body.layer2.0.conv1.weight").values(),
                    after.get("backbone.body.layer2.0.conv1.weight").values()));
        }
    }

    @Test
    void unsupportedFieldsAreErrors() {
        var e = assertThrows(IllegalArgumentException.class, () -> Freezing.of(List.of(0), false));
        assertTrue(e.getMessage().contains("freeze_bn"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Freezing.of(List.of(5), true));
        assertTrue(e.getMessage().contains("freeze_blocks"), e.getMessage());
        var config = TinyNet.config();
        TrainingRules bad = new TrainingRules(0.3, 0.7, 64, 0.5, 1e-3, 300, 100, 0.7, 64, 0.25, 0.5, 0.5, 0.0, 28, 1, 1, 1,
                TrainingRules.Sampling.RANDOM, 0);
        e = assertThrows(IllegalArgumentException.class, () -> new MaskRcnnTrainable(config, bad, Freezing.none(),
                MaskTargetRule.TORCHVISION, StartWeights.scratch(config, 0)));
        assertTrue(e.getMessage().contains("rpn_negative_overlap"), e.getMessage());
        // rpn_min_size 0 lets zero-width proposals through (their box targets divide by zero): refused here, raised
        // to TrainingRules.MIN_PROPOSAL_SIZE with a note by the spec resolver
        TrainingRules zeroMin = new TrainingRules(0.7, 0.3, 64, 0.5, 0, 300, 100, 0.7, 64, 0.25, 0.5, 0.5, 0.0, 28, 1, 1,
                1, TrainingRules.Sampling.RANDOM, 0);
        e = assertThrows(IllegalArgumentException.class, () -> new MaskRcnnTrainable(config, zeroMin, Freezing.none(),
                MaskTargetRule.TORCHVISION, StartWeights.scratch(config, 0)));
        assertTrue(e.getMessage().contains("rpn_min_size must be at least 0.001"), e.getMessage());
        Map<String, WeightTensor> missing = new LinkedHashMap<>(StartWeights.scratch(config, 0));
        missing.remove("roi_heads.box_head.fc6.weight");
        e = assertThrows(IllegalArgumentException.class, () -> new MaskRcnnTrainable(config,
                TinyNet.rules(TrainingRules.Sampling.RANDOM), Freezing.none(), MaskTargetRule.TORCHVISION, missing));
        assertTrue(e.getMessage().contains("missing: roi_heads.box_head.fc6.weight"), e.getMessage());
    }

    /** A package folds BN; its weights read back (identity BN) compute the same losses and detections. */
    @Test
    void packageWeightsAreAnEquivalentStart() throws Exception {
        Engine engine = TrainingEngine.get();
        var config = TinyNet.config();
        var rules = TinyNet.rules(TrainingRules.Sampling.FIRST_BY_INDEX);
        Map<String, WeightTensor> start = StartWeights.scratch(config, 5);
        // non-trivial batch norm, so folding matters
        for (var e : start.entrySet()) {
            if (Freezing.batchNorm(e.getKey())) {
                float[] v = e.getValue().values();
                for (int i = 0; i < v.length; i++) {
                    v[i] = e.getKey().endsWith("running_var") ? 0.5f + (i % 7) * 0.1f
                            : e.getKey().endsWith("running_mean") ? 0.01f * (i % 5) - 0.02f
                            : e.getKey().endsWith("weight") ? 0.8f + 0.05f * (i % 3) : 0.01f * (i % 4);
                }
            }
        }
        Path pkg = tmp.resolve("tiny.onnx");
        MaskRcnnPackage.write(config, "", start, List.of("background", "person"), List.of(0, 1), "test", "none", pkg);
        Map<String, WeightTensor> back = StartWeights.fromPackage(pkg, config);
        assertEquals(1f, back.get("backbone.body.bn1.weight").values()[0]);
        var batch = TinyNet.batch();
        try (MaskRcnnTrainable a = new MaskRcnnTrainable(config, rules, Freezing.none(), MaskTargetRule.TORCHVISION, start);
             MaskRcnnTrainable b = new MaskRcnnTrainable(config, rules, Freezing.none(), MaskTargetRule.TORCHVISION, back);
             NDManager step = engine.newBaseManager()) {
            LossTerms la = a.losses(step, batch);
            LossTerms lb = b.losses(step, batch);
            assertEquals(la.total().getFloat(), lb.total().getFloat(), 1e-4 * Math.abs(la.total().getFloat()));
            var ia = a.infer(step, batch.pixels(), TinyNet.SIZE, TinyNet.SIZE, TinyNet.SIZE, TinyNet.SIZE, 0.05f);
            var ib = b.infer(step, batch.pixels(), TinyNet.SIZE, TinyNet.SIZE, TinyNet.SIZE, TinyNet.SIZE, 0.05f);
            assertEquals(ia.detections(), ib.detections());
            assertArrayEquals(ia.scores(), ib.scores(), 1e-4f);
            assertArrayEquals(ia.boxes(), ib.boxes(), 1e-2f);
        }
    }

    @Test
    void notAPackageIsAnIoError() throws Exception {
        Path junk = tmp.resolve("junk.onnx");
        Files.writeString(junk, "not a model");
        var e = assertThrows(IOException.class, () -> StartWeights.fromPackage(junk, TinyNet.config()));
        assertTrue(e.getMessage().contains("junk.onnx"), e.getMessage());
    }
}
