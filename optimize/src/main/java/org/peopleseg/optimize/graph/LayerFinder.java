package org.peopleseg.optimize.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peopleseg.runtime.onnx.proto.Onnx.AttributeProto;
import org.peopleseg.runtime.onnx.proto.Onnx.NodeProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto;

/**
 * Finds the layers that can run as integer kernels — Conv and Gemm (transB=1) with float constant weights — and
 * marks the <em>heads</em>: layers whose output reaches a model output with no other such layer in between. In Mask
 * R-CNN those are the RPN objectness and box-delta convolutions, the class scores and box deltas of the box head and
 * the mask logits; in YOLO-seg the box, class and mask-coefficient convolutions. They feed decoding, NMS and the
 * final scores, so by default they stay FP32 (measured: see the README's quantize section).
 */
public final class LayerFinder {
    /** Ops whose output carries only the input's shape, not its values: value paths end there. */
    private static final Set<String> SHAPE_ONLY = Set.of("Shape", "Size");

    private LayerFinder() {}

    /** @return every candidate layer in graph order, with whether it is a head */
    public static Map<QuantLayer, Boolean> find(GraphIndex index) {
        Map<String, QuantLayer> byNode = new LinkedHashMap<>();
        for (NodeProto n : index.graph().getNodeList()) {
            QuantLayer layer = candidate(index, n);
            if (layer != null) {
                byNode.put(n.getName(), layer);
            }
        }
        Map<QuantLayer, Boolean> out = new LinkedHashMap<>();
        for (QuantLayer layer : byNode.values()) {
            out.put(layer, reachesOutput(index, layer, byNode.keySet()));
        }
        return out;
    }

    private static QuantLayer candidate(GraphIndex index, NodeProto n) {
        String op = n.getOpType();
        if (!op.equals("Conv") && !op.equals("Gemm")) {
            return null;
        }
        if (!n.getDomain().isEmpty() || n.getInputCount() < 2 || !isFloat(index.initializer(n.getInput(1)))) {
            return null;
        }
        if (index.isInitializer(n.getInput(0))) {
            return null;
        }
        if (op.equals("Gemm") && !(attr(n, "transB", 0) == 1 && attr(n, "transA", 0) == 0
                && attrF(n, "alpha", 1f) == 1f && attrF(n, "beta", 1f) == 1f)) {
            return null;
        }
        String bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? n.getInput(2) : null;
        if (bias != null && !isFloat(index.initializer(bias))) {
            return null;
        }
        String output = n.getOutput(0);
        List<NodeProto> next = index.consumers(output);
        if (next.size() == 1 && next.get(0).getOpType().equals("Relu") && !index.isGraphOutput(output)) {
            output = next.get(0).getOutput(0);
        }
        return new QuantLayer(n.getName(), op, n.getInput(0), n.getInput(1), bias, output);
    }

    /** True when some value path from the layer's output reaches a graph output without meeting another layer. */
    private static boolean reachesOutput(GraphIndex index, QuantLayer layer, Set<String> layerNodes) {
        Deque<String> todo = new ArrayDeque<>(List.of(layer.output()));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (!seen.add(v)) {
                continue;
            }
            if (index.isGraphOutput(v)) {
                return true;
            }
            for (NodeProto c : index.consumers(v)) {
                if (layerNodes.contains(c.getName()) || SHAPE_ONLY.contains(c.getOpType())) {
                    continue;
                }
                todo.addAll(c.getOutputList());
            }
        }
        return false;
    }

    static boolean isFloat(TensorProto t) {
        return t != null && t.getDataType() == TensorProto.DataType.FLOAT.getNumber();
    }

    private static long attr(NodeProto n, String name, long dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return dflt;
    }

    private static float attrF(NodeProto n, String name, float dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getF();
            }
        }
        return dflt;
    }

    /** Element-wise ops that run as integer kernels (QLinearAdd, QLinearMul, QLinearSigmoid, QLinearConcat). */
    private static final Set<String> ELEMENTWISE = Set.of("Add", "Mul", "Sigmoid", "Concat");
    /** Ops a value path between two INT8 layers may pass through (data movement and the element-wise ops). */
    private static final Set<String> BETWEEN = Set.of("Add", "Mul", "Sigmoid", "Concat", "Relu", "MaxPool",
            "Resize", "Slice", "Split", "Pad", "Reshape", "Transpose", "Flatten", "Identity");

    /**
     * The element-wise nodes between INT8 layers — downstream of one and upstream of another through {@link
     * #BETWEEN} ops only, every input an activation: the residual and FPN additions of Mask R-CNN, the SiLU
     * (x * sigmoid(x)) and concatenations of YOLO. Quantising them keeps the data in uint8 between the convolutions
     * instead of dequantising for every float op; anything after the heads (decoding, scores) stays float.
     */
    public static List<String> elementwise(GraphIndex index, List<QuantLayer> layers) {
        Set<String> layerNodes = new HashSet<>();
        for (QuantLayer l : layers) {
            layerNodes.add(l.node());
        }
        Set<String> down = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        for (QuantLayer l : layers) {
            todo.add(l.node());
        }
        while (!todo.isEmpty()) {
            NodeProto n = nodeByName(index, todo.pop());
            for (String out : n.getOutputList()) {
                for (NodeProto c : index.consumers(out)) {
                    if (BETWEEN.contains(c.getOpType()) && !layerNodes.contains(c.getName()) && down.add(c.getName())) {
                        todo.add(c.getName());
                    }
                }
            }
        }
        Set<String> up = new HashSet<>();
        for (QuantLayer l : layers) {
            todo.add(l.node());
        }
        while (!todo.isEmpty()) {
            NodeProto n = nodeByName(index, todo.pop());
            boolean layer = layerNodes.contains(n.getName());
            for (int i = 0; i < (layer ? 1 : n.getInputCount()); i++) {
                NodeProto p = index.producer(n.getInput(i));
                if (p != null && BETWEEN.contains(p.getOpType()) && !layerNodes.contains(p.getName())
                        && up.add(p.getName())) {
                    todo.add(p.getName());
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (NodeProto n : index.graph().getNodeList()) {
            if (ELEMENTWISE.contains(n.getOpType()) && down.contains(n.getName()) && up.contains(n.getName())
                    && n.getInputList().stream().noneMatch(in -> in.isEmpty() || index.isInitializer(in))) {
                out.add(n.getName());
            }
        }
        return out;
    }

    private static NodeProto nodeByName(GraphIndex index, String name) {
        return index.node(name);
    }

    /** The layers chosen for INT8: every candidate, minus the heads unless {@code includeHeads}, minus exclusions. */
    public static List<QuantLayer> select(Map<QuantLayer, Boolean> found, boolean includeHeads, Set<String> exclude) {
        List<QuantLayer> out = new ArrayList<>();
        found.forEach((layer, head) -> {
            if ((includeHeads || !head) && !exclude.contains(layer.node())) {
                out.add(layer);
            }
        });
        return out;
    }
}
