package org.peopleseg.models.maskrcnn;

import java.util.Map;
import org.peopleseg.runtime.onnx.GraphBuilder;

/**
 * Puts checked weights into a graph as initializers, folding frozen batch norm into the preceding convolution
 * (w' = w * g / sqrt(var + eps), b' = beta - mean * g / sqrt(var + eps)), as FrozenBatchNorm2d computes at eval.
 */
final class GraphWeights {
    /** torchvision's FrozenBatchNorm2d and BatchNorm2d default. */
    static final double BN_EPS = 1e-5;

    private final GraphBuilder g;
    private final Map<String, WeightTensor> weights;

    GraphWeights(GraphBuilder g, Map<String, WeightTensor> weights) {
        this.g = g;
        this.weights = weights;
    }

    WeightTensor get(String name) {
        WeightTensor t = weights.get(name);
        if (t == null) {
            throw new IllegalStateException("weight missing after validation: " + name);
        }
        return t;
    }

    /** The tensor as an initializer, shape unchanged. */
    String tensor(String name) {
        WeightTensor t = get(name);
        return g.weight(name, t.values(), t.shape());
    }

    /** {weight, bias} of a bias-free convolution followed by batch norm {@code bn}, folded. */
    String[] convBn(String convWeight, String bn) {
        WeightTensor w = get(convWeight);
        float[] gamma = get(bn + ".weight").values();
        float[] beta = get(bn + ".bias").values();
        float[] mean = get(bn + ".running_mean").values();
        float[] var = get(bn + ".running_var").values();
        int out = (int) w.shape()[0];
        int per = w.values().length / out;
        float[] fw = new float[w.values().length];
        float[] fb = new float[out];
        for (int o = 0; o < out; o++) {
            float scale = (float) (gamma[o] / Math.sqrt(var[o] + BN_EPS));
            for (int i = 0; i < per; i++) {
                fw[o * per + i] = w.values()[o * per + i] * scale;
            }
            fb[o] = beta[o] - mean[o] * scale;
        }
        return new String[] {g.weight(convWeight, fw, w.shape()), g.weight(bn + ".folded_bias", fb, out)};
    }
}
