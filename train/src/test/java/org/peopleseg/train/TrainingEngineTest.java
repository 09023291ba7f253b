package org.peopleseg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class TrainingEngineTest {
    @Test
    void startsOfflineAndComputesGradients() {
        Engine engine = TrainingEngine.get();
        assertEquals("PyTorch", engine.getEngineName());
        try (NDManager m = engine.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2, 3});
            x.setRequiresGradient(true);
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray y = x.mul(x).sum();
                gc.backward(y);
            }
            // d/dx sum(x^2) = 2x
            assertArrayEquals(new float[] {2, 4, 6}, x.getGradient().toFloatArray(), 1e-6f);
        }
    }
}
