package org.peopleseg.optimize.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.peopleseg.optimize.graph.ActivationQuant;

class CalibrationMethodTest {
    /** ReLU-like activations: half-normal with a few huge outliers. */
    private static TensorStats reluWithOutliers() {
        Random r = new Random(3);
        float[] v = new float[200_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.abs(r.nextGaussian());
        }
        v[10] = 60;
        v[20] = 45;
        TensorStats s = new TensorStats();
        s.add(FloatBuffer.wrap(v));
        return s;
    }

    private static double hi(ActivationQuant q) {
        return (255 - q.zeroPoint()) * q.scale();
    }

    @Test
    void minmaxKeepsTheOutliersTheOthersClipThem() {
        TensorStats s = reluWithOutliers();
        ActivationQuant mm = CalibrationMethod.MINMAX.quant(s);
        assertEquals(0, mm.zeroPoint(), "a non-negative tensor has zero point 0 (ONNX Runtime drops the Relu)");
        assertEquals(60, hi(mm), 1e-3);
        double p = hi(CalibrationMethod.PERCENTILE.quant(s));
        double e = hi(CalibrationMethod.ENTROPY.quant(s));
        // the 99.99th percentile of a half-normal is 3.89; bins are 60/2048 wide
        assertEquals(3.89, p, 0.1);
        // TensorRT's search starts at `levels` bins (255 x 60/2048 = 7.47 here): with 2048 bins over the outliers'
        // range the bulk sits below that, so entropy clips the outliers but no further
        assertEquals(255 * 60.0 / 2048, e, 0.01);
    }

    @Test
    void uniformDataIsNotClippedByEntropy() {
        float[] v = new float[100_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i / (float) v.length;
        }
        TensorStats s = new TensorStats();
        s.add(FloatBuffer.wrap(v));
        assertEquals(1.0, hi(CalibrationMethod.ENTROPY.quant(s)), 0.002);
    }

    @Test
    void signedTensorGetsAnAsymmetricRangeWithZeroExact() {
        float[] v = {-1f, -0.5f, 0f, 2f, 3f};
        TensorStats s = new TensorStats();
        s.add(FloatBuffer.wrap(v));
        ActivationQuant q = CalibrationMethod.MINMAX.quant(s);
        assertEquals(4f / 255, q.scale(), 1e-7);
        assertEquals(64, q.zeroPoint());
        assertEquals(0f, q.fakeQuant(0f), 0f);
    }
}
