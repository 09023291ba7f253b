package org.peopleseg.models.tflite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.peopleseg.models.tflite.ConversionContext.Value;
import org.peopleseg.runtime.onnx.Attr;

/**
 * Operators with axis arguments — SOFTMAX, CONCATENATION, STRIDED_SLICE, SPLIT, PAD / PADV2 — which keep the
 * value's layout and remap their TFLite axes to ONNX ones ({@link ConversionContext#onnxAxis}).
 */
final class AxisTranslators {
    private AxisTranslators() {}

    static void register(Map<Integer, OperatorTranslator> r) {
        OperatorTranslators.put(r, AxisTranslators::softmax, BuiltinOps.SOFTMAX);
        OperatorTranslators.put(r, AxisTranslators::concat, BuiltinOps.CONCATENATION);
        OperatorTranslators.put(r, AxisTranslators::stridedSlice, BuiltinOps.STRIDED_SLICE);
        OperatorTranslators.put(r, AxisTranslators::split, BuiltinOps.SPLIT);
        OperatorTranslators.put(r, AxisTranslators::pad, BuiltinOps.PAD, BuiltinOps.PADV2);
    }

    private static void softmax(TfliteOperator op, ConversionContext cx) {
        float beta = op.options().getFloat(0, 1f);
        Value x = cx.value(op.inputs()[0]);
        String in = x.name();
        if (beta != 1f) {
            in = cx.g.op("Mul", List.of(in, cx.g.scalar(beta)));
        }
        int axis = ConversionContext.onnxAxis(x, x.rank() - 1);
        cx.emit(op.outputs()[0], new Value(cx.g.op("Softmax", in, Attr.i("axis", axis)), x.shape(), x.nchw()));
    }

    private static void concat(TfliteOperator op, ConversionContext cx) {
        int axis = op.options().getInt(0, 0);
        int act = op.options().getByte(1, 0);
        List<Value> ins = new ArrayList<>();
        boolean anyNchw = false;
        for (int i : op.inputs()) {
            Value v = cx.model.tensor(i).isConstant() && cx.recorded(i) == null
                    ? cx.constValue(cx.model.tensor(i)) : cx.value(i);
            ins.add(v);
            anyNchw |= v.nchw();
        }
        int rank = ins.get(0).rank();
        int ax = axis < 0 ? axis + rank : axis;
        long[] shape = ins.get(0).shape().clone();
        shape[ax] = 0;
        List<String> names = new ArrayList<>();
        for (Value v : ins) {
            Value u = anyNchw ? cx.nchw(v) : v;
            for (int d = 0; d < rank; d++) {
                if (d != ax && u.shape()[d] != ins.get(0).shape()[d]) {
                    throw cx.fail("inputs of shapes " + Arrays.toString(ins.get(0).shape()) + " and "
                            + Arrays.toString(u.shape()) + " cannot be concatenated on axis " + ax);
                }
            }
            shape[ax] += u.shape()[ax];
            names.add(u.name());
        }
        Value probe = new Value("", shape, anyNchw && rank == 4);
        String y = cx.g.op("Concat", names, Attr.i("axis", ConversionContext.onnxAxis(probe, ax)));
        cx.emit(op.outputs()[0], new Value(cx.activation(y, act), shape, probe.nchw()));
    }

    private static void stridedSlice(TfliteOperator op, ConversionContext cx) {
        TfliteOperator.Options o = op.options();
        int beginMask = o.getInt(0, 0), endMask = o.getInt(1, 0), ellipsis = o.getInt(2, 0);
        int newAxis = o.getInt(3, 0), shrink = o.getInt(4, 0);
        boolean offset = o.getBool(5, false);
        if (ellipsis != 0 || newAxis != 0) {
            throw cx.fail("ellipsis_mask and new_axis_mask are not supported");
        }
        Value x = cx.value(op.inputs()[0]);
        if (shrink != 0) {
            x = cx.logical(x);
        }
        int[] begin = cx.constant(op.inputs()[1], "begin").intValues();
        int[] end = cx.constant(op.inputs()[2], "end").intValues();
        int[] strides = cx.constant(op.inputs()[3], "strides").intValues();
        int[] nativeShape = cx.model.tensor(op.inputs()[0]).shape();
        int rank = x.rank();
        long[] starts = new long[rank], ends = new long[rank], steps = new long[rank];
        long[] shape = new long[rank];
        for (int d = 0; d < rank; d++) {
            int st = d < strides.length ? strides[d] : 1;
            if (st == 0) {
                throw cx.fail("stride 0");
            }
            long nat = nativeShape[d];
            long[] r = sliceRange(nat, d < begin.length ? begin[d] : 0, d < end.length ? end[d] : (int) nat, st,
                    (beginMask >> d & 1) != 0, (endMask >> d & 1) != 0, offset, (shrink >> d & 1) != 0);
            long dim = x.shape()[d];
            if (dim != nat) {
                boolean full = st == 1 && r[0] == 0 && r[1] == nat;
                if (!full) {
                    throw cx.fail("a partial slice [" + r[0] + ":" + r[1] + ":" + st + "] of axis " + d
                            + " whose size depends on the input size");
                }
                r[1] = dim;
            }
            starts[d] = r[0];
            ends[d] = r[1];
            steps[d] = st;
            shape[d] = st > 0 ? Math.max(0, (r[1] - r[0] + st - 1) / st) : Math.max(0, (r[0] - r[1] - st - 1) / -st);
        }
        long[] axes = new long[rank];
        long[] os = new long[rank], oe = new long[rank], ost = new long[rank];
        for (int d = 0; d < rank; d++) {
            axes[d] = ConversionContext.onnxAxis(x, d);
            os[d] = starts[d];
            oe[d] = ends[d] < 0 ? Long.MIN_VALUE : ends[d];
            ost[d] = steps[d];
        }
        String y = cx.g.op("Slice", List.of(x.name(), cx.g.ints(os), cx.g.ints(oe), cx.g.ints(axes), cx.g.ints(ost)));
        if (shrink != 0) {
            List<Long> sq = new ArrayList<>();
            List<Long> kept = new ArrayList<>();
            for (int d = 0; d < rank; d++) {
                if ((shrink >> d & 1) != 0) {
                    sq.add((long) d);
                } else {
                    kept.add(shape[d]);
                }
            }
            y = cx.g.op("Squeeze", List.of(y, cx.g.ints(sq.stream().mapToLong(Long::longValue).toArray())));
            shape = kept.stream().mapToLong(Long::longValue).toArray();
            cx.emit(op.outputs()[0], new Value(y, shape, false));
            return;
        }
        cx.emit(op.outputs()[0], new Value(y, shape, x.nchw()));
    }

    /** {start, end} of a TFLite strided slice on one axis of size {@code dim} (end -1 = before the start). */
    static long[] sliceRange(long dim, int begin, int end, int stride, boolean beginMask, boolean endMask,
                             boolean offset, boolean shrink) {
        long b = begin, e = offset ? (long) begin + end : end;
        if (shrink) {
            b = b < 0 ? b + dim : b;
            return new long[] {b, b + 1};
        }
        if (stride > 0) {
            b = beginMask ? 0 : ConversionContext.clamp(b < 0 ? b + dim : b, 0, dim);
            e = endMask ? dim : ConversionContext.clamp(e < 0 ? e + dim : e, 0, dim);
        } else {
            b = beginMask ? dim - 1 : ConversionContext.clamp(b < 0 ? b + dim : b, -1, dim - 1);
            e = endMask ? -1 : ConversionContext.clamp(e < 0 ? e + dim : e, -1, dim - 1);
        }
        return new long[] {b, e};
    }

    private static void split(TfliteOperator op, ConversionContext cx) {
        int n = op.options().getInt(0, op.outputs().length);
        int axis = cx.constant(op.inputs()[0], "axis").intValues()[0];
        Value x = cx.value(op.inputs()[1]);
        int ax = axis < 0 ? axis + x.rank() : axis;
        long dim = x.shape()[ax];
        if (n != op.outputs().length || dim % n != 0) {
            throw cx.fail("cannot split an axis of " + dim + " into " + n + " equal parts");
        }
        if (dim != cx.model.tensor(op.inputs()[1]).shape()[ax]) {
            throw cx.fail("splitting an axis whose size depends on the input size");
        }
        long[] sizes = new long[n];
        Arrays.fill(sizes, dim / n);
        String[] ys = cx.g.op("Split", List.of(x.name(), cx.g.ints(sizes)), n,
                Attr.i("axis", ConversionContext.onnxAxis(x, ax)));
        long[] shape = x.shape().clone();
        shape[ax] = dim / n;
        for (int i = 0; i < n; i++) {
            cx.emit(op.outputs()[i], new Value(ys[i], shape, x.nchw()));
        }
    }

    private static void pad(TfliteOperator op, ConversionContext cx) {
        Value x = cx.value(op.inputs()[0]);
        int[] p = cx.constant(op.inputs()[1], "paddings").intValues();
        int rank = x.rank();
        if (p.length != 2 * rank) {
            throw cx.fail("paddings of " + p.length + " values for rank " + rank);
        }
        long[] pads = new long[2 * rank];
        long[] shape = x.shape().clone();
        for (int d = 0; d < rank; d++) {
            int a = ConversionContext.onnxAxis(x, d);
            pads[a] = p[2 * d];
            pads[rank + a] = p[2 * d + 1];
            shape[d] += p[2 * d] + p[2 * d + 1];
        }
        List<String> in = new ArrayList<>(List.of(x.name(), cx.g.ints(pads)));
        if (op.code() == BuiltinOps.PADV2 && op.inputs().length > 2 && op.inputs()[2] >= 0) {
            in.add(cx.g.scalar(cx.constant(op.inputs()[2], "constant value").dequantized()[0]));
        }
        // TFLite pads a quantised tensor with its zero point: real 0, what Pad's default gives
        cx.emit(op.outputs()[0], new Value(cx.g.op("Pad", in, Attr.s("mode", "constant")), shape, x.nchw()));
    }
}
