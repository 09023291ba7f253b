package org.peopleseg.train.yolo.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import org.peopleseg.train.net.Scalars;

/** Elementwise arithmetic (with ONNX/numpy broadcasting, as torch does), MatMul, Softmax and activations. */
final class MathOps {
    private MathOps() {}

    static void register(OpRegistry r) {
        r.add("Add", c -> NodeCall.one(c.in(0).add(c.in(1))));
        r.add("Sub", c -> NodeCall.one(c.in(0).sub(c.in(1))));
        r.add("Mul", c -> NodeCall.one(c.in(0).mul(c.in(1))));
        r.add("Div", c -> NodeCall.one(c.in(0).div(c.in(1))));
        r.add("MatMul", c -> NodeCall.one(c.in(0).matMul(c.in(1))));
        r.add("Sigmoid", c -> NodeCall.one(Activation.sigmoid(c.in(0))));
        r.add("Relu", c -> NodeCall.one(Activation.relu(c.in(0))));
        r.add("Tanh", c -> NodeCall.one(Activation.tanh(c.in(0))));
        r.add("Clip", MathOps::clip);
        r.add("Softmax", MathOps::softmax);
        r.add("Identity", c -> NodeCall.one(c.in(0)));
    }

    /** Opset 13 Softmax: along one axis (default -1). */
    static NDArray[] softmax(NodeCall c) {
        NDArray x = c.in(0);
        int axis = (int) c.attrs().i("axis", -1);
        return NodeCall.one(x.softmax(axis < 0 ? axis + x.getShape().dimension() : axis));
    }

    /** Clip with min/max as inputs (opset 11+) or attributes (older). */
    static NDArray[] clip(NodeCall c) {
        float lo = c.in(1) != null ? c.in(1).toFloatArray()[0] : c.attrs().f("min", Float.NEGATIVE_INFINITY);
        float hi = c.in(2) != null ? c.in(2).toFloatArray()[0] : c.attrs().f("max", Float.POSITIVE_INFINITY);
        return NodeCall.one(Scalars.clamp(c.in(0), lo, hi)); // not DJL's clip: see Scalars
    }
}
