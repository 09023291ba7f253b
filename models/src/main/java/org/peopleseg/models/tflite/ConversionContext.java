package org.peopleseg.models.tflite;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.peopleseg.runtime.onnx.Attr;
import org.peopleseg.runtime.onnx.GraphBuilder;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto.DataType;

/**
 * The state of one TFLite -> ONNX conversion that every {@link OperatorTranslator} shares: the graph being built,
 * the ONNX value standing for each TFLite tensor with its layout (see {@link TfliteConverter} for the layout rules),
 * the QDQ pairs of int8 mode, the constants, and the input size (the file's and the requested one).
 *
 * <p>The order of the graph-building calls is part of the output (node names are numbered as they are added), so
 * translators call these helpers in a fixed order: the same model always gives the same ONNX bytes.
 */
final class ConversionContext {
    static final int[] NHWC_TO_NCHW = {0, 3, 1, 2};
    static final int[] NCHW_TO_NHWC = {0, 2, 3, 1};

    final TfliteModel model;
    final TfliteConverter.Options options;
    final boolean int8;
    final GraphBuilder g;
    final ReshapePlan reshapes = new ReshapePlan();
    private final Value[] values;
    private final int anchorCount;
    final int nativeW, nativeH, newW, newH;
    private TfliteOperator current;
    /** Debugging: TFLite tensor index -> {ONNX value of its quantised (QuantizeLinear) output, layout}, or null. */
    private final Map<Integer, String[]> quantizedValues;
    /** Debugging: every quantised activation becomes a graph input "t<index>" (each operator runs in isolation). */
    private final boolean isolate;

    /**
     * An ONNX value standing for a TFLite tensor. In int8 mode a quantised tensor is stored as the output of its
     * QuantizeLinear ({@code dq} holds the value, scale, zero point and axis) and every use gets a DequantizeLinear
     * of its own: ONNX Runtime fuses DQ -> op -> Q into integer kernels only when each DQ has a single consumer.
     */
    record Value(String name, long[] shape, boolean nchw, String[] dq) {
        Value(String name, long[] shape, boolean nchw) {
            this(name, shape, nchw, null);
        }

        int rank() {
            return shape.length;
        }
    }

    ConversionContext(TfliteModel model, TfliteConverter.Options options, int nativeW, int nativeH, int newW,
                      int newH, Map<Integer, String[]> quantizedValues, boolean isolate) {
        this.model = model;
        this.options = options;
        this.int8 = options.precision() == TfliteConverter.Precision.INT8;
        this.g = new GraphBuilder("tflite");
        this.values = new Value[model.tensors().size()];
        this.nativeW = nativeW;
        this.nativeH = nativeH;
        this.newW = newW;
        this.newH = newH;
        this.quantizedValues = quantizedValues;
        this.isolate = isolate;
        int n = -1;
        for (int o : model.outputs()) {
            int[] s = model.tensor(o).shape();
            if (s.length == 3 && n < 0) {
                n = s[2];
            }
        }
        this.anchorCount = n;
    }

    /** The operator being translated (named by {@link #fail}). */
    void enter(TfliteOperator op) {
        current = op;
    }

    UnsupportedModelException fail(String why) {
        String size = newW == nativeW && newH == nativeH ? ""
                : " (input size " + newW + "x" + newH + "; the file's is " + nativeW + "x" + nativeH + ")";
        // current is null outside the operators: a graph output that no operator computes (fuzzing finding)
        String where = current == null ? "graph" : "op #" + current.index() + " " + current.opName();
        return new UnsupportedModelException(where + ": " + why + size);
    }

    // ---- values and layouts -------------------------------------------------------------------------------

    /** What an earlier operator recorded for tensor {@code index} (no DequantizeLinear added), or null. */
    Value recorded(int index) {
        return values[index];
    }

    /** The value of tensor {@code index} as float: a DequantizeLinear of its own for a quantised activation. */
    Value value(int index) {
        Value v = values[index];
        if (v != null && v.dq() != null) {
            String[] d = v.dq();
            String y = d[3] == null ? g.op("DequantizeLinear", List.of(v.name(), d[1], d[2]))
                    : g.op("DequantizeLinear", List.of(v.name(), d[1], d[2]), Attr.i("axis", Integer.parseInt(d[3])));
            return new Value(y, v.shape(), v.nchw());
        }
        if (v == null) {
            TfliteTensor t = model.tensor(index);
            if (t.isConstant()) {
                return constValue(t);
            }
            throw fail("input tensor #" + index + " (" + t.name() + ") is not computed by any earlier operator");
        }
        return v;
    }

    Value constValue(TfliteTensor t) {
        return new Value(operand(t, null), Tensors.toLongs(t.shape()), false);
    }

    TfliteTensor constant(int index, String what) {
        TfliteTensor t = model.tensor(index);
        if (!t.isConstant()) {
            throw fail("the " + what + " (tensor #" + index + ") must be a constant");
        }
        return t;
    }

    /** Records an op's output: adds the QDQ pair of the TFLite output tensor in int8 mode. */
    void emit(int index, Value v) {
        TfliteTensor t = model.tensor(index);
        if (int8 && isQuantized(t) && !(floatTail(t))) {
            int axis = v.nchw() && v.rank() == 4 ? 1 : v.rank() - 1;
            Quantization q = t.quantization();
            // int8 activations are carried as uint8 with the zero point shifted by 128 (the same real values, the
            // same rounding): ONNX Runtime's x86 integer kernels are u8s8, and with s8 activations most QDQ
            // convolutions were left unfused, in float.
            String[] sz = t.type() == TensorType.INT8 && !q.perChannel() ? shiftedToUint8(q) : scaleZero(q, t.type());
            String qv = q.perChannel() ? g.op("QuantizeLinear", List.of(v.name(), sz[0], sz[1]), Attr.i("axis", axis))
                    : g.op("QuantizeLinear", List.of(v.name(), sz[0], sz[1]));
            if (quantizedValues != null) {
                quantizedValues.put(index, new String[] {qv, v.nchw() && v.rank() == 4 ? "nchw" : "logical"});
            }
            if (isolate && !q.perChannel()) {
                long[] dims = v.shape().clone();
                if (v.nchw() && v.rank() == 4) {
                    dims = new long[] {dims[0], dims[3], dims[1], dims[2]};
                }
                qv = g.input("t" + index, DataType.UINT8, dims);
            }
            v = new Value(qv, v.shape(), v.nchw(), new String[] {qv, sz[0], sz[1], q.perChannel() ? "" + axis : null});
        }
        values[index] = v;
    }

    /** Records an int8 activation given as its uint8 (zero point + 128) value, computed by {@link ExactArithmetic}. */
    void emitRaw(int index, String uint8, long[] shape, boolean nchw) {
        Quantization q = model.tensor(index).quantization();
        String[] sz = shiftedToUint8(q);
        if (quantizedValues != null) {
            quantizedValues.put(index, new String[] {uint8, nchw && shape.length == 4 ? "nchw" : "logical"});
        }
        String name = uint8;
        if (isolate) {
            long[] dims = nchw && shape.length == 4 ? new long[] {shape[0], shape[3], shape[1], shape[2]} : shape;
            name = g.input("t" + index, DataType.UINT8, dims);
        }
        values[index] = new Value(name, shape, nchw, new String[] {name, sz[0], sz[1], null});
    }

    /** The uint8 (zero point + 128) value of an int8 per-tensor activation, or null. */
    String rawInt8(int index) {
        Value v = values[index];
        TfliteTensor t = model.tensor(index);
        if (v == null || v.dq() == null || t.type() != TensorType.INT8 || t.quantization().perChannel()) {
            return null;
        }
        return v.dq()[0];
    }

    /** Whether tensor {@code index} will be recorded as an int8 per-tensor activation (its uint8 value). */
    boolean int8PerTensorOutput(int index) {
        TfliteTensor t = model.tensor(index);
        return int8 && t.type() == TensorType.INT8 && isQuantized(t) && !t.quantization().perChannel()
                && !floatTail(t);
    }

    Value nchw(Value v) {
        if (v.rank() != 4) {
            throw fail("expected a 4-d NHWC tensor, got shape " + Arrays.toString(v.shape()));
        }
        if (v.nchw()) {
            return v;
        }
        return new Value(g.op("Transpose", v.name(), Attr.ints("perm", 0, 3, 1, 2)), v.shape(), true);
    }

    /** The value in its TFLite layout. */
    Value logical(Value v) {
        if (!v.nchw()) {
            return v;
        }
        return new Value(g.op("Transpose", v.name(), Attr.ints("perm", 0, 2, 3, 1)), v.shape(), false);
    }

    /** ONNX axis of TFLite axis {@code d} of value {@code v}. */
    static int onnxAxis(Value v, int d) {
        int a = d < 0 ? d + v.rank() : d;
        if (!v.nchw()) {
            return a;
        }
        return new int[] {0, 2, 3, 1}[a];
    }

    /** Whether {@code t} belongs to the detection head's per-anchor tail computed in float (Options.floatTail). */
    boolean floatTail(TfliteTensor t) {
        if (!options.floatTail() || anchorCount <= 0) {
            return false;
        }
        int[] s = t.shape();
        for (int i = 1; i < s.length; i++) {
            if (s[i] == anchorCount) {
                return true;
            }
        }
        return false;
    }

    static boolean isQuantized(TfliteTensor t) {
        return t.quantization() != null && (t.type() == TensorType.INT8 || t.type() == TensorType.UINT8);
    }

    /** TFLite's fused activation (ActivationFunctionType) applied to {@code y}. */
    String activation(String y, int act) {
        return switch (act) {
            case 0 -> y;
            case 1 -> g.op("Relu", y);
            case 2 -> g.op("Clip", List.of(y, g.scalar(-1f), g.scalar(1f)));
            case 3 -> g.op("Clip", List.of(y, g.scalar(0f), g.scalar(6f)));
            case 4 -> g.op("Tanh", y);
            default -> throw fail("fused activation " + act + " is not supported");
        };
    }

    // ---- constants ----------------------------------------------------------------------------------------

    String[] scaleZero(Quantization q, TensorType type) {
        boolean pc = q.perChannel();
        long[] dims = pc ? new long[] {q.scales().length} : new long[0];
        String scale = g.constFloats(dims, pc ? q.scales() : new float[] {q.scale()});
        long[] zps = pc ? q.zeroPoints() : new long[] {q.zeroPoint()};
        String zp = switch (type) {
            case INT8 -> constant(DataType.INT8, Tensors.int8Bytes(zps), dims);
            case UINT8 -> constant(DataType.UINT8, Tensors.int8Bytes(zps), dims);
            case INT32 -> constant(DataType.INT32, Tensors.int32Bytes(zps), dims);
            default -> throw fail("quantised type " + type + " is not supported");
        };
        return new String[] {scale, zp};
    }

    /** Scale and zero point + 128 as uint8, for an int8 per-tensor quantisation carried in uint8. */
    String[] shiftedToUint8(Quantization q) {
        String scale = g.constFloats(new long[0], q.scale());
        String zp = constant(DataType.UINT8, Tensors.int8Bytes(new long[] {q.zeroPoint() + 128}));
        return new String[] {scale, zp};
    }

    /** A typed constant as a Constant node (the graph builder's initialisers are float / int64 only). */
    String constant(DataType type, byte[] raw, long... dims) {
        TensorProto t = GraphBuilder.tensor("value", type, raw, dims);
        return g.op("Constant", List.of(), Attr.tensor("value", t));
    }

    /** A constant operand, dimensions permuted by {@code perm} (null = as stored). */
    String operand(TfliteTensor t, int[] perm) {
        return operandShaped(t, t.shape(), perm);
    }

    /**
     * A constant operand viewed with {@code shape} (same element count as the tensor, e.g. with leading ones),
     * permuted by {@code perm}: int8/int32 data with DequantizeLinear in int8 mode, dequantised floats otherwise.
     */
    String operandShaped(TfliteTensor t, int[] shape, int[] perm) {
        int[] outShape = perm == null ? shape : Tensors.permuteShape(shape, perm);
        long[] dims = Tensors.toLongs(outShape);
        Quantization q = t.quantization();
        boolean quantizedInt = q != null && (t.type() == TensorType.INT8 || t.type() == TensorType.UINT8
                || t.type() == TensorType.INT32);
        if (int8 && quantizedInt) {
            long[] raw = t.rawInts();
            if (perm != null) {
                raw = Tensors.permute(raw, shape, perm);
            }
            byte[] bytes = t.type() == TensorType.INT32 ? Tensors.int32Bytes(raw) : Tensors.int8Bytes(raw);
            DataType dt = t.type() == TensorType.INT32 ? DataType.INT32
                    : t.type() == TensorType.UINT8 ? DataType.UINT8 : DataType.INT8;
            String data = constant(dt, bytes, dims);
            String[] sz = scaleZero(q, t.type());
            if (q.perChannel()) {
                int axis = q.axis() + (shape.length - t.shape().length);
                int onnxAxis = axis;
                if (perm != null) {
                    for (int j = 0; j < perm.length; j++) {
                        if (perm[j] == axis) {
                            onnxAxis = j;
                        }
                    }
                }
                return g.op("DequantizeLinear", List.of(data, sz[0], sz[1]), Attr.i("axis", onnxAxis));
            }
            return g.op("DequantizeLinear", List.of(data, sz[0], sz[1]));
        }
        float[] f = t.dequantized();
        if (perm != null) {
            f = Tensors.permute(f, shape, perm);
        }
        return g.weight("w" + t.index(), f, dims);
    }

    /** New values for a constant (regenerated for another input size), quantised like the original in int8 mode. */
    String constValues(TfliteTensor t, float[] values, int[] shape, int[] perm) {
        float[] f = perm == null ? values : Tensors.permute(values, shape, perm);
        long[] dims = Tensors.toLongs(perm == null ? shape : Tensors.permuteShape(shape, perm));
        Quantization q = t.quantization();
        if (int8 && q != null && !q.perChannel() && (t.type() == TensorType.INT8 || t.type() == TensorType.UINT8)) {
            long lo = t.type() == TensorType.INT8 ? -128 : 0, hi = t.type() == TensorType.INT8 ? 127 : 255;
            long[] raw = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                raw[i] = clamp(Math.round(f[i] / q.scale()) + q.zeroPoint(), lo, hi);
            }
            DataType dt = t.type() == TensorType.INT8 ? DataType.INT8 : DataType.UINT8;
            String[] sz = scaleZero(q, t.type());
            return g.op("DequantizeLinear", List.of(constant(dt, Tensors.int8Bytes(raw), dims), sz[0], sz[1]));
        }
        return g.weight("w" + t.index(), f, dims);
    }

    static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** numpy broadcasting of two shapes. */
    static long[] broadcast(long[] a, long[] b) {
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long x = i < r - a.length ? 1 : a[i - (r - a.length)];
            long y = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (x != y && x != 1 && y != 1) {
                throw new IllegalArgumentException("operand shapes " + Arrays.toString(a) + " and "
                        + Arrays.toString(b) + " do not broadcast");
            }
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    static boolean broadcastable(long[] c, long[] other) {
        try {
            return Arrays.equals(broadcast(c, other), other);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
