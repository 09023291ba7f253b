package org.peopleseg.train.yolo.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/** MaxPool and nearest-neighbour Resize by integer factors. */
final class PoolingOps {
    private PoolingOps() {}

    static void register(OpRegistry r) {
        r.add("MaxPool", PoolingOps::maxPool);
        r.add("Resize", PoolingOps::resize);
    }

    /** 2-D MaxPool with symmetric pads (pads are -inf, as in ONNX and torch). */
    static NDArray[] maxPool(NodeCall c) {
        NodeAttributes a = c.attrs();
        long[] k = a.ints("kernel_shape", null);
        long[] s = a.ints("strides", new long[] {1, 1});
        long[] p = a.ints("pads", new long[] {0, 0, 0, 0});
        if (k == null || k.length != 2 || p[0] != p[2] || p[1] != p[3] || a.ints("dilations", null) != null
                && java.util.Arrays.stream(a.ints("dilations", null)).anyMatch(d -> d != 1)) {
            throw c.fail("only 2-D, symmetric pads, no dilation is supported");
        }
        return NodeCall.one(Pool.maxPool2d(c.in(0), new Shape(k), new Shape(s), new Shape(p[0], p[1]),
                a.i("ceil_mode", 0) == 1));
    }

    /**
     * Resize, mode nearest, by whole factors. With an integer factor f, asymmetric coordinates and floor rounding
     * (what the TFLite converter emits) output pixel i reads input pixel floor(i / f): each pixel repeated f times,
     * done as a broadcast over inserted axes (differentiable: the gradient sums the copies).
     */
    static NDArray[] resize(NodeCall c) {
        NodeAttributes a = c.attrs();
        if (!"nearest".equals(a.s("mode", "nearest"))) {
            throw c.fail("only mode=nearest is supported");
        }
        NDArray x = c.in(0);
        long[] in = x.getShape().getShape();
        if (in.length != 4) {
            throw c.fail("only 4-D inputs are supported");
        }
        long oh, ow;
        if (c.in(3) != null) {
            long[] sizes = c.ints(3);
            oh = sizes[2];
            ow = sizes[3];
        } else if (c.in(2) != null) {
            float[] scales = c.in(2).toFloatArray();
            oh = Math.round(in[2] * scales[2]);
            ow = Math.round(in[3] * scales[3]);
        } else {
            throw c.fail("neither scales nor sizes given");
        }
        String coord = a.s("coordinate_transformation_mode", "half_pixel");
        if (oh % in[2] != 0 || ow % in[3] != 0) {
            throw c.fail("only whole upsampling factors are supported: " + in[2] + "x" + in[3] + " -> " + oh + "x"
                    + ow);
        }
        long fh = oh / in[2], fw = ow / in[3];
        String nearest = a.s("nearest_mode", "round_prefer_floor");
        if (!coord.equals("asymmetric") || !nearest.equals("floor")) {
            throw c.fail("only coordinate_transformation_mode=asymmetric with nearest_mode=floor is supported, not "
                    + coord + "/" + nearest);
        }
        NDArray y = x.reshape(in[0], in[1], in[2], 1, in[3], 1)
                .broadcast(in[0], in[1], in[2], fh, in[3], fw)
                .reshape(in[0], in[1], oh, ow);
        return NodeCall.one(y);
    }
}
