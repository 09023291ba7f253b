package org.peopleseg.train.net.maskrcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.models.maskrcnn.WeightLayout;
import org.peopleseg.models.maskrcnn.WeightTensor;

/**
 * The network's tensors as DJL parameters under torchvision's state_dict names ({@link WeightLayout}), owned by one
 * NDManager. Batch norm is frozen (FrozenBatchNorm2d): its four tensors stay plain values and each convolution
 * reads its BN as a per-channel scale and shift computed from them, folded into the convolution's weight at use
 * (w * scale, bias = shift) - the function torchvision computes, and the folding the ONNX package does.
 *
 * <p>Arrays made during a step must belong to the step's manager. DJL puts an op's result in the manager of its
 * first operand, so every op here is written with a step array first (the per-step scale, the input).
 */
final class NetParameters implements AutoCloseable {
    /** torchvision's FrozenBatchNorm2d eps. */
    static final float BN_EPS = 1e-5f;

    private final MaskRcnnConfig config;
    private final Freezing freezing;
    private final NDManager manager;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, float[]> batchNorm = new LinkedHashMap<>();
    private final Map<String, float[][]> scaleShift = new LinkedHashMap<>();

    NetParameters(NDManager manager, MaskRcnnConfig config, Freezing freezing, Map<String, WeightTensor> weights) {
        this.manager = manager;
        this.config = config;
        this.freezing = freezing;
        for (Map.Entry<String, long[]> e : WeightLayout.expected(config).entrySet()) {
            String name = e.getKey();
            WeightTensor t = weights.get(name);
            if (Freezing.batchNorm(name)) {
                batchNorm.put(name, t.values().clone());
                continue;
            }
            boolean trainable = !freezing.frozen(name);
            NDArray array = manager.create(t.values(), new Shape(t.shape()));
            array.setRequiresGradient(trainable);
            Parameter p = Parameter.builder().setName(name)
                    .setType(name.endsWith(".bias") ? Parameter.Type.BIAS : Parameter.Type.WEIGHT)
                    .optRequiresGrad(trainable).optArray(array).build();
            parameters.put(name, p);
        }
        foldBatchNorm();
    }

    MaskRcnnConfig config() {
        return config;
    }

    /** A parameter's array (owned by the model, not the step: never use it as an op's first operand). */
    NDArray get(String name) {
        Parameter p = parameters.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return p.getArray();
    }

    /**
     * {weight, bias} of convolution {@code convWeight} followed by frozen batch norm {@code bn}, folded, in the
     * step's manager: weight = w * scale (per output channel; the gradient reaches w), bias = shift.
     */
    NDArray[] convBn(NDManager step, String convWeight, String bn) {
        float[][] ss = scaleShift.get(bn);
        NDArray w = get(convWeight);
        NDArray scale = step.create(ss[0], new Shape(ss[0].length, 1, 1, 1));
        return new NDArray[] {scale.mul(w), step.create(ss[1])};
    }

    List<Parameter> trainable() {
        List<Parameter> out = new ArrayList<>();
        parameters.values().stream().filter(Parameter::requiresGradient).forEach(out::add);
        return out;
    }

    Map<String, WeightTensor> stateDict() {
        Map<String, WeightTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : WeightLayout.expected(config).entrySet()) {
            String name = e.getKey();
            float[] v = batchNorm.containsKey(name) ? batchNorm.get(name).clone() : get(name).toFloatArray();
            out.put(name, new WeightTensor(e.getValue().clone(), v));
        }
        return out;
    }

    /** Overwrites every tensor in place (the Parameter objects, and so an optimiser's state keys, stay). */
    void load(Map<String, WeightTensor> weights) {
        for (Map.Entry<String, long[]> e : WeightLayout.expected(config).entrySet()) {
            String name = e.getKey();
            WeightTensor t = weights.get(name);
            if (t == null || !Arrays.equals(t.shape(), e.getValue())) {
                throw new IllegalArgumentException(name + ": expected shape " + Arrays.toString(e.getValue())
                        + ", got " + (t == null ? "nothing" : t.shapeString()));
            }
        }
        for (Map.Entry<String, long[]> e : WeightLayout.expected(config).entrySet()) {
            String name = e.getKey();
            float[] v = weights.get(name).values();
            if (batchNorm.containsKey(name)) {
                batchNorm.put(name, v.clone());
            } else {
                get(name).set(FloatBuffer.wrap(v));
            }
        }
        foldBatchNorm();
    }

    private void foldBatchNorm() {
        scaleShift.clear();
        for (String name : batchNorm.keySet()) {
            if (!name.endsWith(".weight")) {
                continue;
            }
            String bn = name.substring(0, name.length() - ".weight".length());
            float[] g = batchNorm.get(bn + ".weight");
            float[] b = batchNorm.get(bn + ".bias");
            float[] mean = batchNorm.get(bn + ".running_mean");
            float[] var = batchNorm.get(bn + ".running_var");
            float[] scale = new float[g.length];
            float[] shift = new float[g.length];
            for (int i = 0; i < g.length; i++) {
                // float32 as FrozenBatchNorm2d: scale = w * rsqrt(var + eps), bias = b - mean * scale
                scale[i] = g[i] * (float) (1.0 / Math.sqrt(var[i] + BN_EPS));
                shift[i] = b[i] - mean[i] * scale[i];
            }
            scaleShift.put(bn, new float[][] {scale, shift});
        }
    }

    Freezing freezing() {
        return freezing;
    }

    NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        parameters.values().forEach(Parameter::close);
    }
}
