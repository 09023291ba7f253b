package org.peopleseg.optimize.graph;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peopleseg.runtime.onnx.Attr;
import org.peopleseg.runtime.onnx.GraphBuilder;
import org.peopleseg.runtime.onnx.TensorData;
import org.peopleseg.runtime.onnx.proto.Onnx.AttributeProto;
import org.peopleseg.runtime.onnx.proto.Onnx.GraphProto;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.runtime.onnx.proto.Onnx.NodeProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto.DataType;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto;

/**
 * Rewrites an FP32 graph into QDQ form (the format ONNX Runtime's quantiser writes and its optimiser fuses):
 * for every quantised layer, its activation input and its output pass through QuantizeLinear → DequantizeLinear
 * (uint8, one pair per value, right after the value is made, every consumer reading the dequantised copy), its weight
 * becomes an int8 initializer behind a per-channel DequantizeLinear and its bias an int32 one. ONNX Runtime then
 * replaces each DQ → Conv → Q group by one QLinearConv (DQ → Gemm → Q by QGemm); everything else keeps running in
 * float on dequantised values. Graph outputs keep their float producers.
 */
public final class QdqInserter {
    private QdqInserter() {}

    /**
     * The activation values to quantise: inputs and outputs of the layers and of the element-wise nodes, in graph
     * order.
     */
    public static Set<String> activations(GraphIndex index, List<QuantLayer> layers, List<String> elementwise) {
        Set<String> out = new LinkedHashSet<>();
        for (QuantLayer l : layers) {
            out.add(l.input());
            out.add(l.output());
        }
        for (String name : elementwise) {
            NodeProto n = index.node(name);
            out.addAll(n.getInputList());
            out.add(n.getOutput(0));
        }
        return out;
    }

    /**
     * @param ranges uint8 parameters for every value of {@link #activations}
     * @throws IllegalArgumentException when a value has no range
     */
    public static ModelProto rewrite(ModelProto model, List<QuantLayer> layers, List<String> elementwise,
            Map<String, ActivationQuant> ranges) {
        GraphProto g = model.getGraph();
        GraphIndex index = new GraphIndex(g);
        Set<String> quantised = activations(index, layers, elementwise);
        for (String v : quantised) {
            if (!ranges.containsKey(v)) {
                throw new IllegalArgumentException("no calibration range for " + v);
            }
        }
        Map<String, QuantLayer> byNode = new java.util.HashMap<>();
        for (QuantLayer l : layers) {
            byNode.put(l.node(), l);
        }
        List<TensorProto> inits = new ArrayList<>();
        List<NodeProto> head = new ArrayList<>();
        List<NodeProto> body = new ArrayList<>();
        for (String v : quantised) {
            if (index.isGraphInput(v)) {
                qdq(v, ranges.get(v), inits, head);
            }
        }
        Set<String> floatWeightsStillUsed = new HashSet<>();
        for (NodeProto n : g.getNodeList()) {
            QuantLayer layer = byNode.get(n.getName());
            NodeProto.Builder copy = n.toBuilder().clearInput();
            for (int i = 0; i < n.getInputCount(); i++) {
                String in = n.getInput(i);
                if (layer != null && i == 1) {
                    in = weight(index, layer, inits, head);
                } else if (layer != null && i == 2 && layer.bias() != null) {
                    in = bias(index, layer, ranges.get(layer.input()).scale(), inits, head);
                } else if (quantised.contains(in)) {
                    in = dq(in);
                } else if (index.isInitializer(in)) {
                    floatWeightsStillUsed.add(in);
                }
                copy.addInput(in);
            }
            body.add(copy.build());
            for (String out : n.getOutputList()) {
                if (quantised.contains(out)) {
                    qdq(out, ranges.get(out), inits, body);
                }
            }
        }
        Set<String> replaced = new HashSet<>();
        for (QuantLayer l : layers) {
            replaced.add(l.weight());
            if (l.bias() != null) {
                replaced.add(l.bias());
            }
        }
        GraphProto.Builder out = g.toBuilder().clearNode().clearInitializer();
        for (TensorProto t : g.getInitializerList()) {
            if (!replaced.contains(t.getName()) || floatWeightsStillUsed.contains(t.getName())) {
                out.addInitializer(t);
            }
        }
        out.addAllInitializer(inits);
        out.addAllNode(head);
        out.addAllNode(body);
        return model.toBuilder().setGraph(out).build();
    }

    static String dq(String value) {
        return value + "/dq";
    }

    private static void qdq(String v, ActivationQuant a, List<TensorProto> inits, List<NodeProto> nodes) {
        String scale = v + "/scale";
        String zp = v + "/zero_point";
        inits.add(GraphBuilder.floatTensor(scale, new float[] {a.scale()}));
        inits.add(GraphBuilder.tensor(zp, DataType.UINT8, new byte[] {(byte) a.zeroPoint()}));
        nodes.add(NodeProto.newBuilder().setOpType("QuantizeLinear").setName(v + "/quantize")
                .addInput(v).addInput(scale).addInput(zp).addOutput(v + "/q").build());
        nodes.add(NodeProto.newBuilder().setOpType("DequantizeLinear").setName(v + "/dequantize")
                .addInput(v + "/q").addInput(scale).addInput(zp).addOutput(dq(v)).build());
    }

    private static String weight(GraphIndex index, QuantLayer l, List<TensorProto> inits, List<NodeProto> nodes) {
        TensorProto w = index.initializer(l.weight());
        int channels = (int) w.getDims(0);
        WeightQuant.Quantised q = WeightQuant.perChannel(TensorData.floats(w), channels);
        String base = l.node() + "/weight";
        long[] dims = w.getDimsList().stream().mapToLong(Long::longValue).toArray();
        inits.add(GraphBuilder.tensor(base + "_int8", DataType.INT8, q.values(), dims));
        inits.add(GraphBuilder.floatTensor(base + "_scale", q.scales(), channels));
        inits.add(GraphBuilder.tensor(base + "_zero_point", DataType.INT8, new byte[channels], channels));
        nodes.add(NodeProto.newBuilder().setOpType("DequantizeLinear").setName(base + "/dequantize")
                .addInput(base + "_int8").addInput(base + "_scale").addInput(base + "_zero_point")
                .addOutput(base + "/dq").addAttribute(axis0()).build());
        return base + "/dq";
    }

    private static String bias(GraphIndex index, QuantLayer l, float inputScale, List<TensorProto> inits,
            List<NodeProto> nodes) {
        TensorProto w = index.initializer(l.weight());
        int channels = (int) w.getDims(0);
        float[] wScales = WeightQuant.perChannel(TensorData.floats(w), channels).scales();
        float[] b = TensorData.floats(index.initializer(l.bias()));
        int[] q = WeightQuant.bias(b, inputScale, wScales);
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = inputScale * wScales[c];
        }
        String base = l.node() + "/bias";
        ByteBuffer raw = ByteBuffer.allocate(4 * channels).order(ByteOrder.LITTLE_ENDIAN);
        raw.asIntBuffer().put(q);
        inits.add(GraphBuilder.tensor(base + "_int32", DataType.INT32, raw.array(), channels));
        inits.add(GraphBuilder.floatTensor(base + "_scale", scales, channels));
        inits.add(GraphBuilder.tensor(base + "_zero_point", DataType.INT32, new byte[4 * channels], channels));
        nodes.add(NodeProto.newBuilder().setOpType("DequantizeLinear").setName(base + "/dequantize")
                .addInput(base + "_int32").addInput(base + "_scale").addInput(base + "_zero_point")
                .addOutput(base + "/dq").addAttribute(axis0()).build());
        return base + "/dq";
    }

    private static AttributeProto axis0() {
        return Attr.i("axis", 0);
    }
}
