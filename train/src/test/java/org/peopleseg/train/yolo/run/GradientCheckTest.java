package org.peopleseg.train.yolo.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peopleseg.train.TrainingEngine;

/** A NaN gradient is found by name, zeroing really clears it (g - g would not), and accumulation then works. */
class GradientCheckTest {
    @Test
    void findsZeroesAndAccumulatesAgain() {
        Engine engine = TrainingEngine.get();
        try (NDManager m = engine.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2, 3}), b = m.create(new float[] {4, 5});
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            Map<String, NDArray> params = Map.of("a", a, "b", b);
            List<String> names = List.of("a", "b");
            backward(engine, () -> a.mul(m.create(new float[] {1, 1, 1})).sum().add(b.mul(m.create(new float[] {
                    Float.NaN, 1})).sum()));
            assertEquals("b", GradientCheck.firstNonFinite(params, names, m));
            GradientCheck.zero(params, names, m);
            assertNull(GradientCheck.firstNonFinite(params, names, m));
            backward(engine, () -> a.mul(m.create(new float[] {1, 2, 3})).sum().add(b.sum()));
            assertArrayEquals(new float[] {1, 2, 3}, a.getGradient().toFloatArray(), 0f);
            assertArrayEquals(new float[] {1, 1}, b.getGradient().toFloatArray(), 0f);
        }
    }

    private static void backward(Engine engine, java.util.function.Supplier<NDArray> loss) {
        try (GradientCollector gc = engine.newGradientCollector()) {
            gc.backward(loss.get());
        }
    }
}
