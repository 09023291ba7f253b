package org.peopleseg.train.yolo.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/** Operators that move values without computing new ones: reshape, transpose, concat, split, slice, pad, gather. */
final class ShapeOps {
    private ShapeOps() {}

    static void register(OpRegistry r) {
        r.add("Reshape", ShapeOps::reshape);
        r.add("Transpose", ShapeOps::transpose);
        r.add("Concat", ShapeOps::concat);
        r.add("Split", ShapeOps::split);
        r.add("Slice", ShapeOps::slice);
        r.add("Squeeze", ShapeOps::squeeze);
        r.add("Unsqueeze", ShapeOps::unsqueeze);
        r.add("Pad", ShapeOps::pad);
        r.add("Gather", ShapeOps::gather);
    }

    private static int axis(long axis, int rank) {
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /** ONNX Reshape: 0 copies the input's dimension (allowzero = 0), -1 is inferred. */
    static NDArray[] reshape(NodeCall c) {
        NDArray x = c.in(0);
        long[] target = c.ints(1).clone();
        if (c.attrs().i("allowzero", 0) != 0) {
            throw c.fail("allowzero=1 is not supported");
        }
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 0) {
                target[i] = x.getShape().get(i);
            }
        }
        return NodeCall.one(x.reshape(new Shape(target)));
    }

    static NDArray[] transpose(NodeCall c) {
        NDArray x = c.in(0);
        long[] perm = c.attrs().ints("perm", null);
        int rank = x.getShape().dimension();
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = perm == null ? rank - 1 - i : (int) perm[i];
        }
        return NodeCall.one(x.transpose(p));
    }

    static NDArray[] concat(NodeCall c) {
        NDList list = new NDList();
        for (int i = 0; i < c.inputCount(); i++) {
            list.add(c.in(i));
        }
        int ax = axis(c.attrs().i("axis", 0), c.in(0).getShape().dimension());
        return NodeCall.one(concatAll(list, ax));
    }

    private static NDArray concatAll(NDList list, int axis) {
        return list.size() == 1 ? list.get(0) : ai.djl.ndarray.NDArrays.concat(list, axis);
    }

    /** ONNX Split: sizes from input 1 (opset 13+) or the 'split' attribute, else equal parts. */
    static NDArray[] split(NodeCall c) {
        NDArray x = c.in(0);
        int ax = axis(c.attrs().i("axis", 0), x.getShape().dimension());
        int parts = c.node().getOutputCount();
        long[] sizes = c.in(1) != null ? c.ints(1) : c.attrs().ints("split", null);
        long dim = x.getShape().get(ax);
        if (sizes == null) {
            if (dim % parts != 0) {
                throw c.fail("cannot split " + dim + " into " + parts + " equal parts");
            }
            sizes = new long[parts];
            java.util.Arrays.fill(sizes, dim / parts);
        }
        long[] cuts = new long[sizes.length - 1];
        long at = 0;
        for (int i = 0; i < cuts.length; i++) {
            at += sizes[i];
            cuts[i] = at;
        }
        NDList out = x.split(cuts, ax);
        return out.toArray(new NDArray[0]);
    }

    /** ONNX Slice (positive steps): starts/ends clamped to the dimension as ONNX defines, negatives counted back. */
    static NDArray[] slice(NodeCall c) {
        NDArray x = c.in(0);
        long[] shape = x.getShape().getShape();
        long[] starts = c.ints(1), ends = c.ints(2);
        long[] axes = c.in(3) != null ? c.ints(3) : null;
        long[] steps = c.in(4) != null ? c.ints(4) : null;
        long[] lo = new long[shape.length], hi = shape.clone(), st = new long[shape.length];
        java.util.Arrays.fill(st, 1);
        for (int i = 0; i < starts.length; i++) {
            int ax = axis(axes == null ? i : axes[i], shape.length);
            long step = steps == null ? 1 : steps[i];
            if (step <= 0) {
                throw c.fail("only positive steps are supported");
            }
            long d = shape[ax];
            long s = starts[i] < 0 ? starts[i] + d : starts[i];
            long e = ends[i] < 0 ? ends[i] + d : ends[i];
            lo[ax] = Math.max(0, Math.min(d, s));
            hi[ax] = Math.max(0, Math.min(d, e));
            st[ax] = step;
        }
        NDIndex idx = new NDIndex();
        for (int d = 0; d < shape.length; d++) {
            if (lo[d] == 0 && hi[d] == shape[d] && st[d] == 1) {
                idx.addAllDim();
            } else {
                idx.addSliceDim(lo[d], hi[d], st[d]);
            }
        }
        return NodeCall.one(x.get(idx));
    }

    static NDArray[] squeeze(NodeCall c) {
        NDArray x = c.in(0);
        long[] axes = c.in(1) != null ? c.ints(1) : c.attrs().ints("axes", null);
        if (axes == null) {
            return NodeCall.one(x.squeeze());
        }
        int[] a = new int[axes.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = axis(axes[i], x.getShape().dimension());
        }
        return NodeCall.one(x.squeeze(a));
    }

    static NDArray[] unsqueeze(NodeCall c) {
        NDArray x = c.in(0);
        long[] axes = (c.in(1) != null ? c.ints(1) : c.attrs().ints("axes", new long[0])).clone();
        int rank = x.getShape().dimension() + axes.length;
        for (int i = 0; i < axes.length; i++) {
            axes[i] = axis(axes[i], rank);
        }
        java.util.Arrays.sort(axes);
        NDArray y = x;
        for (long a : axes) {
            y = y.expandDims((int) a);
        }
        return NodeCall.one(y);
    }

    /** Pad, mode constant: ONNX pads are [begin_0..begin_r, end_0..end_r]; torch's are last axis first. */
    static NDArray[] pad(NodeCall c) {
        if (!"constant".equals(c.attrs().s("mode", "constant"))) {
            throw c.fail("only mode=constant is supported");
        }
        NDArray x = c.in(0);
        long[] p = c.ints(1);
        int r = x.getShape().dimension();
        double value = c.in(2) != null ? c.in(2).toFloatArray()[0] : 0;
        long[] torch = new long[2 * r];
        for (int d = 0; d < r; d++) {
            torch[2 * d] = p[r - 1 - d];
            torch[2 * d + 1] = p[2 * r - 1 - d];
        }
        return NodeCall.one(x.pad(new Shape(torch), value));
    }

    /** Gather along one axis with constant indices (the package's class-row selection). */
    static NDArray[] gather(NodeCall c) {
        NDArray x = c.in(0);
        long[] idx = c.ints(1);
        int ax = axis(c.attrs().i("axis", 0), x.getShape().dimension());
        if (c.in(1).getShape().dimension() != 1) {
            throw c.fail("only 1-D indices are supported");
        }
        NDList picked = new NDList();
        for (long i : idx) {
            long j = i < 0 ? i + x.getShape().get(ax) : i;
            picked.add(x.get(NDIndex.sliceAxis(ax, j, j + 1)));
        }
        return NodeCall.one(concatAll(picked, ax));
    }
}
