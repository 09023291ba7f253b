package org.peopleseg.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peopleseg.train.TrainingEngine;

/** Against torch.optim.SGD (tools/fixtures/train/sgd_momentum.py): momentum, weight decay, a changing rate. */
class MomentumSgdTest {

    @Test
    void matchesTorchSgdWithMomentumAndWeightDecayStepByStep() throws Exception {
        JsonNode ref;
        try (InputStream in = MomentumSgdTest.class.getResourceAsStream("/optim/sgd_torch.json")) {
            ref = new ObjectMapper().readTree(in);
        }
        var engine = TrainingEngine.get();
        try (NDManager m = engine.newBaseManager()) {
            Parameter w = param(m, "w", flat(ref.get("w0")), new Shape(2, 3));
            Parameter b = param(m, "b", flat(ref.get("b0")), new Shape(3));
            NDArray a = m.create(flat(ref.get("A")), new Shape(2, 3));
            NDArray bb = m.create(flat(ref.get("B")), new Shape(3));
            try (MomentumSgd sgd = new MomentumSgd(List.of(w, b), ref.get("momentum").asDouble(),
                    ref.get("weight_decay").asDouble(), 0, 0)) {
                for (int s = 0; s < ref.get("lrs").size(); s++) {
                    try (NDManager step = m.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
                        NDArray loss = w.getArray().sin().mul(a).sum().add(b.getArray().square().mul(bb).sum());
                        loss.attach(step);
                        gc.backward(loss);
                    }
                    double norm = sgd.step(ref.get("lrs").get(s).asDouble());
                    assertTrue(Double.isFinite(norm));
                    JsonNode expected = ref.get("steps").get(s);
                    assertArrayEquals(flat(expected.get("w")), w.getArray().toFloatArray(), 1e-6f, "w after step " + s);
                    assertArrayEquals(flat(expected.get("b")), b.getArray().toFloatArray(), 1e-6f, "b after step " + s);
                }
            }
        }
    }

    @Test
    void restoredVelocityContinuesExactlyAndNonFiniteGradientsMakeNoUpdate() {
        var engine = TrainingEngine.get();
        try (NDManager m = engine.newBaseManager()) {
            float[] start = {1f, -2f, 0.5f, 3f};
            Parameter p1 = param(m, "p", start, new Shape(2, 2));
            Parameter p2 = param(m, "p", start, new Shape(2, 2));
            try (MomentumSgd a = new MomentumSgd(List.of(p1), 0.9, 0.1, 0.01, 0);
                 MomentumSgd b = new MomentumSgd(List.of(p2), 0.9, 0.1, 0.01, 0)) {
                quadraticStep(engine, m, p1);
                a.step(0.05);
                quadraticStep(engine, m, p2);
                b.step(0.05);
                List<float[]> saved = a.velocity();
                // a continues; b is rebuilt from the saved state, as a resumed run would be
                quadraticStep(engine, m, p1);
                a.step(0.05);
                try (MomentumSgd c = new MomentumSgd(List.of(p2), 0.9, 0.1, 0.01, 0)) {
                    c.restore(saved);
                    quadraticStep(engine, m, p2);
                    c.step(0.05);
                }
                assertArrayEquals(p1.getArray().toFloatArray(), p2.getArray().toFloatArray(), 0f);

                float[] before = p1.getArray().toFloatArray();
                try (NDManager step = m.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
                    NDArray loss = p1.getArray().mul(Float.NaN).sum();
                    loss.attach(step);
                    gc.backward(loss);
                }
                assertEquals(Double.NaN, a.step(0.05));
                assertArrayEquals(before, p1.getArray().toFloatArray(), 0f);
            }
        }
    }

    @Test
    void clipsTheGlobalGradientNorm() {
        var engine = TrainingEngine.get();
        try (NDManager m = engine.newBaseManager()) {
            Parameter p = param(m, "p", new float[] {0, 0}, new Shape(2));
            try (MomentumSgd sgd = new MomentumSgd(List.of(p), 0, 0, 0, 1.0)) {
                try (NDManager step = m.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
                    NDArray loss = p.getArray().mul(m.create(new float[] {3, 4})).sum(); // gradient (3, 4), norm 5
                    loss.attach(step);
                    gc.backward(loss);
                }
                assertEquals(5.0, sgd.step(1.0), 1e-6);
                assertArrayEquals(new float[] {-0.6f, -0.8f}, p.getArray().toFloatArray(), 1e-6f);
            }
        }
    }

    private static void quadraticStep(ai.djl.engine.Engine engine, NDManager m, Parameter p) {
        try (NDManager step = m.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
            NDArray loss = p.getArray().square().sum().add(p.getArray().sum());
            loss.attach(step);
            gc.backward(loss);
        }
    }

    static Parameter param(NDManager m, String name, float[] values, Shape shape) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        NDArray a = m.create(values, shape);
        a.setRequiresGradient(true);
        p.setArray(a);
        return p;
    }

    static float[] flat(JsonNode node) {
        java.util.List<Float> out = new java.util.ArrayList<>();
        collect(node, out);
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = out.get(i);
        }
        return f;
    }

    private static void collect(JsonNode n, java.util.List<Float> out) {
        if (n.isArray()) {
            n.forEach(c -> collect(c, out));
        } else {
            out.add((float) n.asDouble());
        }
    }
}
