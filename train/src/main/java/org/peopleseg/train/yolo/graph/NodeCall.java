package org.peopleseg.train.yolo.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import org.peopleseg.runtime.onnx.proto.Onnx.NodeProto;

/**
 * One node being translated: its inputs as arrays, its attributes, integer inputs (shapes, axes, pads, sizes) as
 * Java values — ONNX passes them as tensors, DJL takes them as arguments — and the step's manager, which owns every
 * array a handler makes.
 */
final class NodeCall {
    private final NodeProto node;
    private final NodeAttributes attrs;
    private final NDArray[] inputs;
    private final Map<String, long[]> intConstants;
    private final NDManager step;

    NodeCall(NodeProto node, NDArray[] inputs, Map<String, long[]> intConstants, NDManager step) {
        this.node = node;
        this.attrs = new NodeAttributes(node);
        this.inputs = inputs;
        this.intConstants = intConstants;
        this.step = step;
    }

    NodeProto node() {
        return node;
    }

    NodeAttributes attrs() {
        return attrs;
    }

    /** Input {@code i}; null when absent or empty (an omitted optional input). */
    NDArray in(int i) {
        return i < inputs.length ? inputs[i] : null;
    }

    int inputCount() {
        return inputs.length;
    }

    /** Integer input {@code i} as longs: from the initializer when it is one (no native copy), else read back. */
    long[] ints(int i) {
        String name = node.getInput(i);
        long[] c = intConstants.get(name);
        if (c != null) {
            return c;
        }
        try (NDArray a = inputs[i].toType(DataType.INT64, true)) {
            return a.toLongArray();
        }
    }

    NDManager manager() {
        return step;
    }

    IllegalArgumentException fail(String why) {
        return new IllegalArgumentException(node.getOpType() + " node '" + node.getName() + "' (output "
                + (node.getOutputCount() > 0 ? node.getOutput(0) : "?") + "): " + why);
    }

    static NDArray[] one(NDArray a) {
        return new NDArray[] {a};
    }
}
