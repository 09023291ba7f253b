package org.peopleseg.runtime.onnx;

import java.util.List;

/**
 * Typed shorthands for the ONNX operators the model graphs use, on top of {@link GraphBuilder}. Each returns the
 * name of its output value. Semantics are ONNX opset 17's; comments note where they differ from PyTorch's.
 */
public final class Ops {
    private final GraphBuilder g;

    public Ops(GraphBuilder g) {
        this.g = g;
    }

    public GraphBuilder graph() {
        return g;
    }

    /** 2-D convolution, square kernel {@code k}, symmetric padding {@code pad}; {@code bias} may be null. */
    public String conv(String x, String weight, String bias, int k, int stride, int pad) {
        List<String> in = bias == null ? List.of(x, weight) : List.of(x, weight, bias);
        return g.op("Conv", in, Attr.ints("kernel_shape", k, k), Attr.ints("strides", stride, stride),
                Attr.ints("pads", pad, pad, pad, pad), Attr.ints("dilations", 1, 1), Attr.i("group", 1));
    }

    /** Transposed convolution, kernel k, stride s, no padding (PyTorch ConvTranspose2d weight layout [in, out, k, k]). */
    public String convTranspose(String x, String weight, String bias, int k, int stride) {
        return g.op("ConvTranspose", List.of(x, weight, bias), Attr.ints("kernel_shape", k, k),
                Attr.ints("strides", stride, stride));
    }

    public String relu(String x) {
        return g.op("Relu", x);
    }

    public String sigmoid(String x) {
        return g.op("Sigmoid", x);
    }

    public String exp(String x) {
        return g.op("Exp", x);
    }

    public String log(String x) {
        return g.op("Log", x);
    }

    public String sqrt(String x) {
        return g.op("Sqrt", x);
    }

    public String floor(String x) {
        return g.op("Floor", x);
    }

    public String add(String a, String b) {
        return g.op("Add", List.of(a, b));
    }

    public String sub(String a, String b) {
        return g.op("Sub", List.of(a, b));
    }

    public String mul(String a, String b) {
        return g.op("Mul", List.of(a, b));
    }

    public String div(String a, String b) {
        return g.op("Div", List.of(a, b));
    }

    public String min(String a, String b) {
        return g.op("Min", List.of(a, b));
    }

    public String max(String a, String b) {
        return g.op("Max", List.of(a, b));
    }

    public String equal(String a, String b) {
        return g.op("Equal", List.of(a, b));
    }

    public String greaterOrEqual(String a, String b) {
        return g.op("GreaterOrEqual", List.of(a, b));
    }

    public String greater(String a, String b) {
        return g.op("Greater", List.of(a, b));
    }

    public String and(String a, String b) {
        return g.op("And", List.of(a, b));
    }

    public String where(String cond, String a, String b) {
        return g.op("Where", List.of(cond, a, b));
    }

    public String clip(String x, String lo, String hi) {
        return g.op("Clip", List.of(x, lo == null ? "" : lo, hi == null ? "" : hi));
    }

    /** Matrix product with a weight stored PyTorch-style [out, in]: x [N, in] -> [N, out] via Gemm(transB=1). */
    public String linear(String x, String weight, String bias) {
        return g.op("Gemm", List.of(x, weight, bias), Attr.i("transB", 1));
    }

    public String reshape(String x, long... shape) {
        return g.op("Reshape", List.of(x, g.ints(shape)));
    }

    public String reshape(String x, String shape) {
        return g.op("Reshape", List.of(x, shape));
    }

    public String transpose(String x, long... perm) {
        return g.op("Transpose", x, Attr.ints("perm", perm));
    }

    public String concat(List<String> xs, int axis) {
        return g.op("Concat", xs, Attr.i("axis", axis));
    }

    public String flatten(String x, int axis) {
        return g.op("Flatten", x, Attr.i("axis", axis));
    }

    public String squeeze(String x, long... axes) {
        return g.op("Squeeze", List.of(x, g.ints(axes)));
    }

    public String unsqueeze(String x, long... axes) {
        return g.op("Unsqueeze", List.of(x, g.ints(axes)));
    }

    public String shape(String x) {
        return g.op("Shape", x);
    }

    /** shape(x)[start:end] as a 1-d int64 tensor. */
    public String shape(String x, int start, int end) {
        return g.op("Shape", x, Attr.i("start", start), Attr.i("end", end));
    }

    public String gather(String x, String indices, int axis) {
        return g.op("Gather", List.of(x, indices), Attr.i("axis", axis));
    }

    public String slice(String x, long start, long end, long axis) {
        return g.op("Slice", List.of(x, g.ints(start), g.ints(end), g.ints(axis)));
    }

    public String castFloat(String x) {
        return g.op("Cast", x, Attr.i("to", 1));
    }

    public String castInt64(String x) {
        return g.op("Cast", x, Attr.i("to", 7));
    }

    public String range(String start, String limit, String delta) {
        return g.op("Range", List.of(start, limit, delta));
    }

    public String softmax(String x, int axis) {
        return g.op("Softmax", x, Attr.i("axis", axis));
    }

    public String reduceMin(String x, long axis, boolean keepDims) {
        return g.op("ReduceMin", x, Attr.ints("axes", axis), Attr.i("keepdims", keepDims ? 1 : 0));
    }

    public String size(String x) {
        return g.op("Size", x);
    }

    /** Indices (1-d int64) of the true elements of a 1-d bool tensor. */
    public String nonZero1d(String mask) {
        return reshape(g.op("NonZero", mask), -1);
    }

    /** Top k along the last axis, largest first; returns {values, indices}. {@code k} is a 1-d int64 value. */
    public String[] topK(String x, String k) {
        return g.op("TopK", List.of(x, k), 2, Attr.i("axis", -1), Attr.i("largest", 1), Attr.i("sorted", 1));
    }

    public String maxPool(String x, int k, int stride) {
        return g.op("MaxPool", x, Attr.ints("kernel_shape", k, k), Attr.ints("strides", stride, stride));
    }

    /** Max pool with symmetric padding (the ResNet stem: 3x3, stride 2, pad 1). */
    public String maxPool(String x, int k, int stride, int pad) {
        return g.op("MaxPool", x, Attr.ints("kernel_shape", k, k), Attr.ints("strides", stride, stride),
                Attr.ints("pads", pad, pad, pad, pad));
    }

    /** Nearest-neighbour upsampling by 2 that equals PyTorch's F.interpolate(mode="nearest") for exact 2x sizes. */
    public String upsample2x(String x) {
        return g.op("Resize", List.of(x, "", g.constFloats(new long[] {4}, 1f, 1f, 2f, 2f)),
                Attr.s("mode", "nearest"), Attr.s("coordinate_transformation_mode", "asymmetric"),
                Attr.s("nearest_mode", "floor"));
    }
}
