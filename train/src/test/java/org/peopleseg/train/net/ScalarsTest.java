package org.peopleseg.train.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.peopleseg.train.TrainingEngine;

/**
 * Scalars' constants are still right at backward time after a collection, and its clamp has torch.clamp's values and
 * gradient (the incoming gradient where lo &lt;= x &lt;= hi, bounds included; zero outside).
 */
class ScalarsTest {
    @Test
    void constantsSurviveACollectionBetweenForwardAndBackward() {
        try (NDManager m = TrainingEngine.get().newBaseManager();
             GradientCollector gc = TrainingEngine.get().newGradientCollector()) {
            NDArray x = m.create(new float[] {1f, -2f, 3f});
            x.setRequiresGradient(true);
            // d/dx of sum(max(x * 3 / 2 + 1, 0)) = 1.5 where x * 1.5 + 1 > 0
            NDArray y = Scalars.maximum(Scalars.add(Scalars.div(Scalars.mul(x, 3f), 2f), 1f), 0f).sum();
            DirectBuffers.collect();
            gc.backward(y);
            assertArrayEquals(new float[] {1.5f, 0f, 1.5f}, x.getGradient().toFloatArray(), 0f);
        }
    }

    @Test
    void clampHasTorchsValuesAndGradient() {
        try (NDManager m = TrainingEngine.get().newBaseManager();
             GradientCollector gc = TrainingEngine.get().newGradientCollector()) {
            NDArray x = m.create(new float[] {-1f, 0f, 0.5f, 6f, 7f});
            x.setRequiresGradient(true);
            NDArray y = Scalars.clamp(x, 0f, 6f);
            assertArrayEquals(new float[] {0f, 0f, 0.5f, 6f, 6f}, y.toFloatArray(), 0f);
            NDArray weights = m.create(new float[] {1f, 2f, 3f, 4f, 5f});
            gc.backward(y.mul(weights).sum());
            assertArrayEquals(new float[] {0f, 2f, 3f, 4f, 0f}, x.getGradient().toFloatArray(), 0f);
        }
    }
}
