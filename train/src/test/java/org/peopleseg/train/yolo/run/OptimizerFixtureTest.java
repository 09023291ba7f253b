package org.peopleseg.train.yolo.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peopleseg.train.TrainingEngine;

/** SGD (Nesterov) and AdamW steps equal torch.optim's on fixed weights and gradients (make_optimizer_fixture.py). */
class OptimizerFixtureTest {
    static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) a.get(i).asDouble();
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"SGD", "AdamW"})
    void stepsEqualTorch(String kind) throws Exception {
        JsonNode f;
        try (InputStream in = getClass().getResourceAsStream("optimizer-fixture.json")) {
            f = new ObjectMapper().readTree(in);
        }
        Engine engine = TrainingEngine.get();
        try (NDManager m = engine.newBaseManager();
             Optimizer opt = new Optimizer(kind, f.get("weight_decay").asDouble(), m)) {
            NDArray w = m.create(floats(f.get("w0")), new Shape(2, 3));
            NDArray b = m.create(floats(f.get("b0")), new Shape(3));
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("w", w);
            params.put("b", b);
            for (int s = 0; s < 3; s++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray gw = step.create(floats(f.get("grads").get(s).get("w")), new Shape(2, 3));
                    NDArray gb = step.create(floats(f.get("grads").get(s).get("b")), new Shape(3));
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        // d/dw sum(w * gw) = gw: the gradient the fixture gives
                        gc.backward(w.mul(gw).sum().add(b.mul(gb).sum()));
                    }
                }
                JsonNode st = f.get("steps").get(s);
                opt.step(params, List.of("w", "b"), st.get(0).asDouble(), st.get(1).asDouble(), st.get(2).asDouble());
                JsonNode e = f.get(kind).get(s);
                assertArrayEquals(floats(e.get("w")), w.toFloatArray(), 1e-6f, kind + " step " + (s + 1) + " weight");
                assertArrayEquals(floats(e.get("b")), b.toFloatArray(), 1e-6f, kind + " step " + (s + 1) + " bias");
            }
        }
    }
}
