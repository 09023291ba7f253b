package org.peopleseg.train.yolo.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.peopleseg.train.TrainingEngine;
import org.peopleseg.train.net.DirectBuffers;

/**
 * The assigner and every loss term against an independent PyTorch reference (tools/fixtures/yolo-loss/
 * make_fixture.py: torchvision's complete_box_iou_loss, torch's BCE and cross-entropy) on fixed predictions and
 * targets: 126 anchors at 96x64, 2 classes, 3 ground truths of which two overlap.
 */
class SegmentationLossFixtureTest {
    static JsonNode f;

    @BeforeAll
    static void read() throws Exception {
        try (InputStream in = SegmentationLossFixtureTest.class.getResourceAsStream("yolo-loss-fixture.json")) {
            f = new ObjectMapper().readTree(in);
        }
    }

    static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) a.get(i).asDouble();
        }
        return out;
    }

    static SegmentationLoss.Result run(boolean withMasks, NDManager m) {
        return run(withMasks, m, head(m));
    }

    /** The fixture's head outputs: box logits, class logits, mask coefficients and prototypes. */
    static HeadTensors head(NDManager m) {
        int c = f.get("classes").asInt(), r = f.get("reg_max").asInt(), mc = f.get("coefficients").asInt();
        int hp = f.get("proto_height").asInt(), wp = f.get("proto_width").asInt();
        int n = anchors().size();
        return new HeadTensors(m.create(floats(f.get("dist_logits")), new Shape(n, 4, r)),
                m.create(floats(f.get("cls_logits")), new Shape(n, c)),
                m.create(floats(f.get("coeffs")), new Shape(n, mc)),
                m.create(floats(f.get("protos")), new Shape(mc, hp, wp)));
    }

    static AnchorPoints anchors() {
        return AnchorPoints.of(f.get("width").asInt(), f.get("height").asInt(), 8, 16, 32);
    }

    static SegmentationLoss.Result run(boolean withMasks, NDManager m, HeadTensors head) {
        int w = f.get("width").asInt(), h = f.get("height").asInt();
        int r = f.get("reg_max").asInt();
        AnchorPoints anchors = anchors();
        float[] proj = new float[r];
        for (int i = 0; i < r; i++) {
            proj[i] = i;
        }
        int g = f.get("gt_labels").size();
        int[] labels = new int[g];
        byte[][] masks = new byte[g][];
        for (int j = 0; j < g; j++) {
            labels[j] = f.get("gt_labels").get(j).asInt();
            float[] mk = floats(f.get("gt_masks").get(j));
            masks[j] = new byte[mk.length];
            for (int i = 0; i < mk.length; i++) {
                masks[j][i] = (byte) (mk[i] > 0.5f ? 1 : 0);
            }
        }
        YoloTargets targets = new YoloTargets(floats(f.get("gt_boxes")), labels, withMasks ? masks : null);
        SegmentationLoss loss = new SegmentationLoss(TaskAlignedAssigner.ultralytics(), LossGains.ultralytics(),
                anchors, proj, w, h);
        return loss.compute(head, targets, m);
    }

    @Test
    void assignerAndLossTermsMatchTheTorchReference() {
        JsonNode e = f.get("expected");
        try (NDManager m = TrainingEngine.get().newBaseManager()) {
            SegmentationLoss.Result res = run(true, m);
            Assignment as = res.assignment();
            int n = as.foreground().length;
            for (int a = 0; a < n; a++) {
                assertEquals(e.get("foreground").get(a).asInt() == 1, as.foreground()[a], "foreground of anchor " + a);
                if (as.foreground()[a]) {
                    assertEquals(e.get("target_gt").get(a).asInt(), as.targetGt()[a], "target of anchor " + a);
                }
            }
            assertArrayEquals(floats(e.get("target_scores")), as.targetScores(), 1e-6f);
            YoloLossTerms t = res.terms();
            assertEquals(e.get("positives").asInt(), t.positives());
            System.out.printf("java: box %.7f cls %.7f dfl %.7f seg %.7f total %.7f%n", t.box(), t.cls(), t.dfl(),
                    t.seg(), t.total());
            assertClose(e.get("box").asDouble(), t.box(), "box");
            assertClose(e.get("cls").asDouble(), t.cls(), "cls");
            assertClose(e.get("dfl").asDouble(), t.dfl(), "dfl");
            assertClose(e.get("seg").asDouble(), t.seg(), "seg");
            assertClose(e.get("total").asDouble(), t.total(), "total");
        }
    }

    @Test
    void boxOnlyDataSkipsTheMaskTerm() {
        try (NDManager m = TrainingEngine.get().newBaseManager()) {
            SegmentationLoss.Result res = run(false, m);
            assertEquals(0.0, res.terms().seg());
            assertClose(f.get("expected").get("total_box_only").asDouble(), res.terms().total(), "box-only total");
        }
    }

    /** The gradients of the total with respect to the four head outputs equal torch autograd's. */
    @Test
    void gradientsMatchTorchAutograd() {
        assertGradientsMatch(false);
    }

    /**
     * The same gradients when the garbage collector has run between the forward and the backward pass. DJL's
     * {@code mul(Number)} and friends keep their constant in a Java direct buffer that autograd still reads at
     * backward time, after the buffer was freed: a collection there turned the gradients into garbage (and the
     * allocator's free list wrote into the freed buffer). The loss uses libtorch-owned constants (Scalars) instead.
     */
    @Test
    void gradientsSurviveACollectionBetweenForwardAndBackward() {
        assertGradientsMatch(true);
    }

    private static void assertGradientsMatch(boolean collectBeforeBackward) {
        JsonNode e = f.get("expected");
        try (NDManager m = TrainingEngine.get().newBaseManager();
             GradientCollector gc = TrainingEngine.get().newGradientCollector()) {
            HeadTensors h = head(m);
            for (NDArray a : new NDArray[] {h.dist(), h.cls(), h.coeffs(), h.protos()}) {
                a.setRequiresGradient(true);
            }
            SegmentationLoss.Result res = run(true, m, h);
            if (collectBeforeBackward) {
                DirectBuffers.collect();
            }
            gc.backward(res.total());
            assertGradient(e.get("grad_dist_logits"), h.dist(), "dist logits");
            assertGradient(e.get("grad_cls_logits"), h.cls(), "class logits");
            assertGradient(e.get("grad_coeffs"), h.coeffs(), "mask coefficients");
            assertGradient(e.get("grad_protos"), h.protos(), "prototypes");
        }
    }

    /** Within 1e-6 + 1e-4 relative of torch's, element by element. */
    static void assertGradient(JsonNode expected, NDArray x, String what) {
        float[] want = floats(expected);
        float[] got;
        try (NDArray g = x.getGradient()) {
            got = g.toFloatArray();
        }
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(want[i] - got[i]) <= 1e-6 + 1e-4 * Math.abs(want[i]))) {
                throw new AssertionError("gradient of the " + what + " at " + i + ": torch " + want[i] + ", java " + got[i]);
            }
        }
    }

    /** Within 1e-5 (float32 on both sides). */
    static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-5, what);
    }
}
