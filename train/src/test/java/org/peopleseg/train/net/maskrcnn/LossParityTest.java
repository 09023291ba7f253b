package org.peopleseg.train.net.maskrcnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peopleseg.models.maskrcnn.DeterministicWeights;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.train.TrainingEngine;
import org.peopleseg.train.net.LossTerms;
import org.peopleseg.train.net.TrainingRules;

/**
 * Loss parity with torchvision 0.14's Mask R-CNN in training mode: same deterministic weights, image and targets,
 * samplers first-k-by-index on both sides (fixture: tools/fixtures/train/make_loss_fixture.py). Every loss within
 * 1e-4 relative; gradients of the first conv, FPN convs, the RPN conv, fc6, the classifier, a mask-head conv and
 * the mask predictor within 1e-3 relative (norm of the difference over the reference's, on the stored entries,
 * and the whole tensor's norm).
 */
class LossParityTest {
    @Test
    void lossesAndGradientsMatchTorchvision() throws Exception {
        ParityFixture f = new ParityFixture("/train/loss_parity.json");
        MaskRcnnConfig config = f.config();
        var engine = TrainingEngine.get();
        try (MaskRcnnTrainable net = new MaskRcnnTrainable(config,
                ParityFixture.torchvisionRules(TrainingRules.Sampling.FIRST_BY_INDEX), Freezing.none(),
                MaskTargetRule.TORCHVISION, DeterministicWeights.forConfig(config));
             NDManager step = engine.newBaseManager()) {
            Map<String, Parameter> byName = new HashMap<>();
            net.trainableParameters().forEach(p -> byName.put(p.getName(), p));
            LossTerms loss;
            try (GradientCollector gc = engine.newGradientCollector()) {
                loss = net.losses(step, f.batch());
                // Provoke the collector: a native buffer freed while autograd still needs it shows up as wrong
                // gradients (DJL's createCoo did exactly that, see RoiFeatures.sparse).
                System.gc();
                Thread.sleep(200);
                gc.backward(loss.total());
            }
            compare("loss_objectness", loss.rpnObjectness().getFloat(), f.loss("loss_objectness"));
            compare("loss_rpn_box_reg", loss.rpnBox().getFloat(), f.loss("loss_rpn_box_reg"));
            compare("loss_classifier", loss.classifier().getFloat(), f.loss("loss_classifier"));
            compare("loss_box_reg", loss.box().getFloat(), f.loss("loss_box_reg"));
            compare("loss_mask", loss.mask().getFloat(), f.loss("loss_mask"));
            StringBuilder failures = new StringBuilder();
            for (Iterator<Map.Entry<String, JsonNode>> it = f.doc.get("gradients").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                float[] mine = byName.get(e.getKey()).getArray().getGradient().toFloatArray();
                float[] ref = ParityFixture.floats(e.getValue().get("values").asText());
                JsonNode idx = e.getValue().get("index");
                assertEquals(e.getValue().get("numel").asInt(), mine.length, e.getKey());
                double diff = 0, norm = 0, full = 0;
                for (int i = 0; i < ref.length; i++) {
                    double d = mine[idx.get(i).asInt()] - ref[i];
                    diff += d * d;
                    norm += (double) ref[i] * ref[i];
                }
                for (float v : mine) {
                    full += (double) v * v;
                }
                double rel = Math.sqrt(diff / norm);
                double normRel = Math.abs(Math.sqrt(full) / e.getValue().get("norm").asDouble() - 1);
                System.out.printf("grad %-50s rel err %.2e (%d entries), norm rel err %.2e%n", e.getKey(), rel,
                        ref.length, normRel);
                if (rel >= 1e-3 || normRel >= 1e-3) {
                    failures.append(e.getKey()).append(": rel err ").append(rel).append(", norm ").append(normRel)
                            .append('\n');
                }
            }
            assertTrue(failures.length() == 0, "gradients differ from torchvision:\n" + failures);
        }
    }

    private static void compare(String name, double mine, double ref) {
        double rel = Math.abs(mine - ref) / Math.abs(ref);
        System.out.printf("%-18s peopleseg %.8f torchvision %.8f rel err %.2e%n", name, mine, ref, rel);
        assertTrue(rel < 1e-4, name + ": " + mine + " vs torchvision " + ref);
    }
}
