package org.peopleseg.train.net.maskrcnn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.models.maskrcnn.MaskRcnnPackage;
import org.peopleseg.models.maskrcnn.WeightLayout;
import org.peopleseg.models.maskrcnn.WeightTensor;
import org.peopleseg.runtime.model.ModelMetadata;
import org.peopleseg.runtime.onnx.TensorData;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.runtime.onnx.proto.Onnx.StringStringEntryProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto;

/**
 * Where training starts. A torchvision checkpoint is read by the models module (TorchCheckpoint +
 * {@code StateDictImport.adapt}); this class adds the two other starts the issue asks for.
 */
public final class StartWeights {
    private StartWeights() {}

    /**
     * From scratch with torchvision 0.14's initialisation rules, module by module: ResNet convolutions
     * kaiming-normal (fan_out, relu) with BN at identity (weight 1, bias 0, mean 0, var 1); FPN convolutions
     * kaiming-uniform (a=1), bias 0 ({@code ops/feature_pyramid_network.py}); RPN head normal(std 0.01), bias 0
     * ({@code rpn.py}); box head and predictor {@code nn.Linear}'s default (weight and bias uniform
     * +-1/sqrt(fan_in)); mask head convolutions kaiming-normal (fan_out, relu), bias 0; mask predictor weights
     * kaiming-normal (fan_out, relu: torch's fan_out of a ConvTranspose2d weight [in, out, k, k] is in*k*k) with
     * the layers' default biases ({@code mask_rcnn.py} leaves them).
     */
    public static Map<String, WeightTensor> scratch(MaskRcnnConfig config, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, WeightTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : WeightLayout.expected(config).entrySet()) {
            String name = e.getKey();
            long[] shape = e.getValue();
            int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            float[] v = new float[n];
            long receptive = 1;
            for (int d = 2; d < shape.length; d++) {
                receptive *= shape[d];
            }
            long fanOut = shape[0] * receptive;
            long fanIn = shape.length > 1 ? shape[1] * receptive : 1;
            if (Freezing.batchNorm(name)) {
                if (name.endsWith(".weight") || name.endsWith(".running_var")) {
                    Arrays.fill(v, 1f);
                }
            } else if (name.startsWith("backbone.body.") || name.startsWith("roi_heads.mask_head.")) {
                if (name.endsWith(".weight")) {
                    normal(random, v, Math.sqrt(2.0 / fanOut));
                }
            } else if (name.startsWith("backbone.fpn.")) {
                if (name.endsWith(".weight")) {
                    uniform(random, v, Math.sqrt(3.0 / fanIn));
                }
            } else if (name.startsWith("rpn.head.")) {
                if (name.endsWith(".weight")) {
                    normal(random, v, 0.01);
                }
            } else if (name.startsWith("roi_heads.box_head.") || name.startsWith("roi_heads.box_predictor.")) {
                long in = name.endsWith(".weight") ? fanIn : WeightLayout.expected(config).get(
                        name.substring(0, name.length() - "bias".length()) + "weight")[1];
                uniform(random, v, 1.0 / Math.sqrt(in));
            } else if (name.startsWith("roi_heads.mask_predictor.")) {
                if (name.endsWith(".weight")) {
                    normal(random, v, Math.sqrt(2.0 / fanOut));
                } else {
                    long[] w = WeightLayout.expected(config).get(name.substring(0, name.length() - "bias".length()) + "weight");
                    uniform(random, v, 1.0 / Math.sqrt(w[1] * w[2] * w[3]));
                }
            } else {
                throw new IllegalStateException("no initialisation rule for " + name);
            }
            out.put(name, new WeightTensor(shape.clone(), v));
        }
        return out;
    }

    /**
     * The weights of an existing fp32 Mask R-CNN package, back as a state dict. A package folds each frozen batch
     * norm into its convolution (w' = w * scale, b' = shift); with frozen BN, the folded convolution followed by an
     * identity BN (weight 1, bias b', mean 0, var 1 - eps, so that scale = 1) computes the same function, so it is
     * an equivalent start. Everything else is stored unchanged under its torchvision name.
     *
     * @throws IOException for an unreadable file, one that is not a peopleseg fp32 Mask R-CNN package, or one whose
     *     tensors do not fit {@code config} (each problem named)
     */
    public static Map<String, WeightTensor> fromPackage(Path onnx, MaskRcnnConfig config) throws IOException {
        ModelProto model;
        try (InputStream in = Files.newInputStream(onnx)) {
            model = ModelProto.parseFrom(in);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IOException(onnx + ": not an ONNX model (" + e.getMessage() + ")", e);
        }
        Map<String, String> props = new HashMap<>();
        for (StringStringEntryProto p : model.getMetadataPropsList()) {
            props.put(p.getKey(), p.getValue());
        }
        if (!MaskRcnnPackage.ARCHITECTURE.equals(props.get("peopleseg.architecture"))) {
            throw new IOException(onnx + ": not a peopleseg Mask R-CNN package (architecture "
                    + props.get("peopleseg.architecture") + ")");
        }
        ModelMetadata meta = ModelMetadata.fromProperties(props);
        if (!"fp32".equals(meta.precision())) {
            throw new IOException(onnx + ": a " + meta.precision() + " package; training starts from fp32 weights only");
        }
        Map<String, TensorProto> byName = new HashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            String name = t.getName();
            byName.putIfAbsent(name.substring(name.lastIndexOf('/') + 1), t);
        }
        Map<String, WeightTensor> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, long[]> e : WeightLayout.expected(config).entrySet()) {
            String name = e.getKey();
            long[] shape = e.getValue();
            if (Freezing.batchNorm(name)) {
                String bn = name.substring(0, name.lastIndexOf('.'));
                float[] v = new float[(int) shape[0]];
                if (name.endsWith(".weight")) {
                    Arrays.fill(v, 1f);
                } else if (name.endsWith(".running_var")) {
                    Arrays.fill(v, 1f - NetParameters.BN_EPS);
                } else if (name.endsWith(".bias")) {
                    TensorProto t = byName.get(bn + ".folded_bias");
                    if (t == null) {
                        problems.add("missing: " + bn + ".folded_bias");
                        continue;
                    }
                    v = TensorData.floats(t);
                }
                out.put(name, new WeightTensor(shape.clone(), v));
                continue;
            }
            TensorProto t = byName.get(name);
            if (t == null) {
                problems.add("missing: " + name + " " + Arrays.toString(shape));
            } else if (!Arrays.equals(shape, t.getDimsList().stream().mapToLong(Long::longValue).toArray())) {
                problems.add("wrong shape: " + name + " is " + t.getDimsList() + ", expected " + Arrays.toString(shape));
            } else {
                out.put(name, new WeightTensor(shape.clone(), TensorData.floats(t)));
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException(onnx + ": the package does not fit the configured network: "
                    + problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
        }
        return out;
    }

    private static void normal(SplittableRandom r, float[] v, double std) {
        for (int i = 0; i < v.length; i += 2) {
            // Box-Muller: two normals per pair of uniforms
            double u1 = 1.0 - r.nextDouble();
            double u2 = r.nextDouble();
            double rad = Math.sqrt(-2.0 * Math.log(u1));
            v[i] = (float) (std * rad * Math.cos(2 * Math.PI * u2));
            if (i + 1 < v.length) {
                v[i + 1] = (float) (std * rad * Math.sin(2 * Math.PI * u2));
            }
        }
    }

    private static void uniform(SplittableRandom r, float[] v, double bound) {
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((2 * r.nextDouble() - 1) * bound);
        }
    }
}
