package org.peopleseg.train.yolo.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * Conv and ConvTranspose. The package's weights are plain initializers: BN was folded into them when the model was
 * exported to TFLite, so there is no BatchNorm to translate (see {@link TrainableGraph}).
 */
final class ConvOps {
    private ConvOps() {}

    static void register(OpRegistry r) {
        r.add("Conv", ConvOps::conv);
        r.add("ConvTranspose", ConvOps::convTranspose);
    }

    /** ONNX Conv (2-D): pads [top, left, bottom, right]; asymmetric pads become an explicit zero pad first. */
    static NDArray[] conv(NodeCall c) {
        NodeAttributes a = c.attrs();
        if (!"NOTSET".equals(a.s("auto_pad", "NOTSET"))) {
            throw c.fail("auto_pad " + a.s("auto_pad", "") + " is not supported (explicit pads only)");
        }
        NDArray x = c.in(0);
        NDArray w = c.in(1);
        if (x.getShape().dimension() != 4) {
            throw c.fail("only 2-D convolutions are supported, input " + x.getShape());
        }
        long[] strides = a.ints("strides", new long[] {1, 1});
        long[] dil = a.ints("dilations", new long[] {1, 1});
        long[] pads = a.ints("pads", new long[] {0, 0, 0, 0});
        int group = (int) a.i("group", 1);
        NDArray in = x;
        boolean own = false;
        if (pads[0] != pads[2] || pads[1] != pads[3]) {
            in = x.pad(new Shape(pads[1], pads[3], pads[0], pads[2]), 0);
            own = true;
            pads = new long[] {0, 0, 0, 0};
        }
        NDArray y = Conv2d.conv2d(in, w, c.in(2), new Shape(strides), new Shape(pads[0], pads[1]), new Shape(dil),
                group).singletonOrThrow();
        if (own) {
            in.close();
        }
        return NodeCall.one(y);
    }

    /**
     * ONNX ConvTranspose where the kernel equals the stride and there is no padding (YOLO's prototype upsampler:
     * 2x2, stride 2). DJL's PyTorch engine has no transposed convolution ("Not implemented"); with kernel == stride
     * every output pixel comes from exactly one input pixel, so it is exactly a matmul and a reshape:
     * {@code y[n, o, h*k + i, w*k + j] = sum_c x[n, c, h, w] * W[c, o, i, j] + b[o]}.
     */
    static NDArray[] convTranspose(NodeCall c) {
        NodeAttributes a = c.attrs();
        NDArray x = c.in(0);
        NDArray w = c.in(1);
        long[] ws = w.getShape().getShape(); // [Cin, Cout, kh, kw]
        long[] strides = a.ints("strides", new long[] {1, 1});
        long[] pads = a.ints("pads", new long[] {0, 0, 0, 0});
        long[] outPad = a.ints("output_padding", new long[] {0, 0});
        if (a.i("group", 1) != 1 || ws[2] != strides[0] || ws[3] != strides[1]
                || java.util.Arrays.stream(pads).anyMatch(p -> p != 0)
                || java.util.Arrays.stream(outPad).anyMatch(p -> p != 0)) {
            throw c.fail("only kernel == stride, no padding, group 1 is supported (kernel " + ws[2] + "x" + ws[3]
                    + ", strides " + java.util.Arrays.toString(strides) + ")");
        }
        long n = x.getShape().get(0), cin = ws[0], cout = ws[1], kh = ws[2], kw = ws[3];
        long h = x.getShape().get(2), wd = x.getShape().get(3);
        NDArray y = x.transpose(0, 2, 3, 1).reshape(n * h * wd, cin)
                .matMul(w.reshape(cin, cout * kh * kw))
                .reshape(n, h, wd, cout, kh, kw)
                .transpose(0, 3, 1, 4, 2, 5)
                .reshape(n, cout, h * kh, wd * kw);
        if (c.in(2) != null) {
            y = y.add(c.in(2).reshape(1, cout, 1, 1));
        }
        return NodeCall.one(y);
    }
}
