package org.peopleseg.models.tflite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.peopleseg.runtime.onnx.Attr;
import org.peopleseg.runtime.onnx.GraphBuilder;
import org.peopleseg.runtime.onnx.proto.Onnx.AttributeProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto.DataType;

/**
 * Converts the main subgraph of a TFLite model into one ONNX graph (opset 17) with TFLite's semantics.
 *
 * <p>Layout: TFLite is NHWC, ONNX convolutions are NCHW. Every value keeps its TFLite (logical) shape and a flag
 * telling whether its ONNX tensor is stored NCHW; convolutions and pools want NCHW, RESHAPE / TRANSPOSE /
 * BATCH_MATMUL want the logical layout, axis operators (CONCATENATION, SPLIT, STRIDED_SLICE, PAD, SOFTMAX) remap
 * their axes, elementwise operators align their operands. A TRANSPOSE NHWC->NCHW of an NCHW-stored value costs
 * nothing (the head's flattening starts with one).
 *
 * <p>Precision: {@link Precision#INT8} keeps TFLite's quantisation as ONNX QDQ: every quantised activation is
 * followed by QuantizeLinear/DequantizeLinear with its scale and zero point, weights are int8 initialisers with
 * (per-channel) DequantizeLinear, biases int32 — so ONNX Runtime fuses them into its integer kernels (QLinearConv
 * and friends) and rounds where TFLite rounds: checked tensor by tensor against the TFLite runtime (with its
 * XNNPACK delegate, as tfjs-tflite runs it), they agree bit for bit except for QUANTIZE and per-channel
 * TRANSPOSE_CONV, which are emulated in exact arithmetic (see {@link Arithmetic}). {@link Precision#FP32}
 * dequantises the weights ({@code scale * (q - zero_point)}) and computes everything in float.
 *
 * <p>Input: one float tensor "images" [1, C, H, W] (NCHW, pixel / 255 for the usual image models: quantising it
 * with the file's input scale reproduces the int8 input). Outputs: the TFLite outputs in their TFLite layout, as
 * float (dequantised). The input size may differ from the file's: shapes are recomputed, reshape targets re-derived
 * ({@link ReshapePlan}) and anchor constants regenerated ({@link AnchorConstants}).
 */
public final class TfliteConverter {
    public enum Precision { INT8, FP32 }

    /**
     * @param inputWidth  network input width, 0 = the file's
     * @param inputHeight network input height, 0 = the file's
     * @param floatTail   int8 only: compute the detection head's per-anchor tail (everything whose shape has the
     *                    anchor count as a dimension: DFL softmax, box decode, class sigmoid, the output concat)
     *                    in float instead of re-quantising each step. The file's int8 output shares one scale
     *                    between boxes, scores and mask coefficients (about 1/50 of the input side per step);
     *                    in float the boxes keep their precision at any input size.
     * @param arithmetic  int8 only: how far to reproduce TFLite's own rounding ({@link Arithmetic})
     */
    public record Options(int inputWidth, int inputHeight, Precision precision, boolean floatTail,
                          Arithmetic arithmetic) {
        public Options {
            java.util.Objects.requireNonNull(arithmetic, "arithmetic");
        }

        public Options(int inputWidth, int inputHeight, Precision precision, boolean floatTail) {
            this(inputWidth, inputHeight, precision, floatTail, Arithmetic.FAST);
        }

        public Options(int inputWidth, int inputHeight, Precision precision) {
            this(inputWidth, inputHeight, precision, false);
        }

        public Options withArithmetic(Arithmetic a) {
            return new Options(inputWidth, inputHeight, precision, floatTail, a);
        }
    }

    /**
     * How int8 operators round where ONNX Runtime's QDQ kernels and the TFLite runtime (with its XNNPACK delegate,
     * as tfjs-tflite runs it) differ; int8 only. Both reproduce QUANTIZE int8 -> int8 exactly, as XNNPACK's
     * convert (a few small tensors, no cost). {@link #FAST} leaves everything else to ONNX Runtime's integer
     * kernels: ADD / SUB can then be one step off on a few values in 10^4, and a TRANSPOSE_CONV with per-channel
     * weights (TFLite's builtin kernel) on ~0.2% of its values, which the next LOGISTIC widens to several steps
     * (YOLO11n-seg's mask prototypes: ~98% within one step, max 8). {@link #TFLITE} also emulates those in exact
     * arithmetic and reproduces the reference's raw outputs bit for bit, at the cost of elementwise passes in
     * double (measured, one thread: +6-8% per inference for YOLOv8n-seg at 320 and 640, +22% for YOLO11n-seg at
     * 256 and 640).
     */
    public enum Arithmetic { FAST, TFLITE }

    /** One graph output: ONNX value name (float), TFLite shape at the chosen size, TFLite tensor. */
    public record Output(String value, long[] shape, TfliteTensor tensor) {}

    /** The converted graph (outputs not yet declared: the caller names and declares them). */
    public record Converted(GraphBuilder graph, String input, int inputWidth, int inputHeight, List<Output> outputs) {}

    /** Name of the ONNX input. */
    public static final String INPUT = "images";

    private static final int[] NHWC_TO_NCHW = {0, 3, 1, 2};
    private static final int[] NCHW_TO_NHWC = {0, 2, 3, 1};

    private final TfliteModel model;
    private final Options options;
    private final boolean int8;
    private final GraphBuilder g;
    private final V[] values;
    private final ReshapePlan reshapes = new ReshapePlan();
    private int nativeW, nativeH, newW, newH;
    private TfliteOperator current;
    /** Debugging (package-private): TFLite tensor index -> ONNX value of its quantised (QuantizeLinear) output. */
    private java.util.Map<Integer, String[]> quantizedValues;
    /** Debugging: every quantised activation becomes a graph input "t<index>" (each operator runs in isolation). */
    private boolean isolate;
    /** The anchor count of a detection head (last dimension of the first 3-d output), or -1. */
    private final int anchorCount;

    /**
     * An ONNX value standing for a TFLite tensor. In int8 mode a quantised tensor is stored as the output of its
     * QuantizeLinear ({@code dq} holds the scale, zero point and axis) and every use gets a DequantizeLinear of its
     * own: ONNX Runtime fuses DQ -> op -> Q into integer kernels only when each DQ has a single consumer.
     */
    private record V(String name, long[] shape, boolean nchw, String[] dq) {
        V(String name, long[] shape, boolean nchw) {
            this(name, shape, nchw, null);
        }

        int rank() {
            return shape.length;
        }
    }

    private TfliteConverter(TfliteModel model, Options options) {
        this.model = model;
        this.options = options;
        this.int8 = options.precision() == Precision.INT8;
        this.g = new GraphBuilder("tflite");
        this.values = new V[model.tensors().size()];
        int n = -1;
        for (int o : model.outputs()) {
            int[] s = model.tensor(o).shape();
            if (s.length == 3 && n < 0) {
                n = s[2];
            }
        }
        this.anchorCount = n;
    }

    /**
     * @throws UnsupportedModelException naming the operator that cannot be converted, or the input size that the
     *                                   graph cannot take
     */
    public static Converted convert(TfliteModel model, Options options) {
        return new TfliteConverter(model, options).run();
    }

    /**
     * For debugging parity: converts as {@link #convert}, filling {@code quantizedValues} with the ONNX value that
     * holds each quantised activation and its layout ({value, "nchw" | "logical"}; int8 mode: the QuantizeLinear
     * output, uint8 for int8 tensors); with
     * {@code isolate} every such activation is read from a graph input of the same type named "t" + tensor index
     * (NCHW where the value is stored NCHW), so each operator can be compared on the reference's own inputs.
     */
    static Converted convertForDebug(TfliteModel model, Options options, java.util.Map<Integer, String[]> quantizedValues,
                                     boolean isolate) {
        TfliteConverter c = new TfliteConverter(model, options);
        c.quantizedValues = quantizedValues;
        c.isolate = isolate;
        return c.run();
    }

    /** The operators of the model that this converter does not cover (empty when it can convert them all). */
    public static List<String> unsupportedOperators(TfliteModel model) {
        List<String> out = new ArrayList<>();
        for (TfliteOperator op : model.operators()) {
            if (!SUPPORTED.contains(op.code()) || op.code() == BuiltinOps.CUSTOM) {
                String s = op.opName();
                if (!out.contains(s)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    private static final java.util.Set<Integer> SUPPORTED = java.util.Set.of(BuiltinOps.ADD, BuiltinOps.SUB,
            BuiltinOps.MUL, BuiltinOps.CONV_2D, BuiltinOps.DEPTHWISE_CONV_2D, BuiltinOps.TRANSPOSE_CONV,
            BuiltinOps.LOGISTIC, BuiltinOps.CONCATENATION, BuiltinOps.STRIDED_SLICE, BuiltinOps.MAX_POOL_2D,
            BuiltinOps.RESIZE_NEAREST_NEIGHBOR, BuiltinOps.TRANSPOSE, BuiltinOps.RESHAPE, BuiltinOps.SOFTMAX,
            BuiltinOps.PAD, BuiltinOps.PADV2, BuiltinOps.QUANTIZE, BuiltinOps.DEQUANTIZE, BuiltinOps.BATCH_MATMUL,
            BuiltinOps.SPLIT);

    private Converted run() {
        List<String> unsupported = unsupportedOperators(model);
        if (!unsupported.isEmpty()) {
            TfliteOperator first = model.operators().stream()
                    .filter(o -> unsupported.contains(o.opName())).findFirst().orElseThrow();
            throw new UnsupportedModelException("unsupported TFLite operator" + (unsupported.size() > 1 ? "s " : " ")
                    + String.join(", ", unsupported) + " (first at op #" + first.index() + "); supported: "
                    + supportedNames());
        }
        if (model.inputs().length != 1) {
            throw new UnsupportedModelException("the model has " + model.inputs().length
                    + " inputs; only single-image models are supported");
        }
        TfliteTensor in = model.tensor(model.inputs()[0]);
        int[] s = in.shape();
        if (s.length != 4 || s[0] != 1) {
            throw new UnsupportedModelException("input " + in.name() + " has shape " + Arrays.toString(s)
                    + "; expected an image batch of one, [1, H, W, C]");
        }
        nativeH = s[1];
        nativeW = s[2];
        newW = options.inputWidth() > 0 ? options.inputWidth() : nativeW;
        newH = options.inputHeight() > 0 ? options.inputHeight() : nativeH;
        if (newW <= 0 || newH <= 0) {
            throw new UnsupportedModelException("impossible input size " + newW + "x" + newH);
        }
        g.input(INPUT, DataType.FLOAT, new long[] {1, s[3], newH, newW});
        emit(in.index(), new V(INPUT, new long[] {1, newH, newW, s[3]}, true));

        for (TfliteOperator op : model.operators()) {
            current = op;
            g.push("op" + op.index());
            try {
                convert(op);
            } catch (IllegalArgumentException e) {
                throw fail(e.getMessage());
            } catch (IndexOutOfBoundsException | ArithmeticException e) {
                // A file's operator can lack an input or output, or carry a zero stride or size, that the
                // translators take as given (fuzzing found several): refused, named, instead of a crash.
                throw fail("malformed operator (inputs " + Arrays.toString(op.inputs()) + ", outputs "
                        + Arrays.toString(op.outputs()) + "): " + e.getMessage());
            } finally {
                g.pop();
            }
            if (newW == nativeW && newH == nativeH) {
                for (int o : op.outputs()) {
                    long[] got = values[o].shape();
                    if (!Arrays.equals(got, Tensors.toLongs(model.tensor(o).shape()))) {
                        throw fail("computed output shape " + Arrays.toString(got) + " differs from the file's "
                                + Arrays.toString(model.tensor(o).shape()));
                    }
                }
            }
        }
        List<Output> outs = new ArrayList<>();
        for (int o : model.outputs()) {
            V v = logical(value(o));
            outs.add(new Output(v.name(), v.shape(), model.tensor(o)));
        }
        return new Converted(g, INPUT, newW, newH, outs);
    }

    private static String supportedNames() {
        return SUPPORTED.stream().sorted().map(BuiltinOps::name).reduce((a, b) -> a + ", " + b).orElse("");
    }

    private UnsupportedModelException fail(String why) {
        String size = newW == nativeW && newH == nativeH ? ""
                : " (input size " + newW + "x" + newH + "; the file's is " + nativeW + "x" + nativeH + ")";
        // current is null outside the operators: a graph output that no operator computes (fuzzing finding)
        String where = current == null ? "graph" : "op #" + current.index() + " " + current.opName();
        return new UnsupportedModelException(where + ": " + why + size);
    }

    // ---- operators ----------------------------------------------------------------------------------------

    private void convert(TfliteOperator op) {
        TfliteOperator.Options o = op.options();
        switch (op.code()) {
            case BuiltinOps.CONV_2D -> conv(op, false);
            case BuiltinOps.DEPTHWISE_CONV_2D -> conv(op, true);
            case BuiltinOps.TRANSPOSE_CONV -> transposeConv(op);
            case BuiltinOps.MAX_POOL_2D -> maxPool(op);
            case BuiltinOps.ADD -> binary(op, "Add", o.getByte(0, 0));
            case BuiltinOps.SUB -> binary(op, "Sub", o.getByte(0, 0));
            case BuiltinOps.MUL -> binary(op, "Mul", o.getByte(0, 0));
            case BuiltinOps.LOGISTIC -> {
                V a = value(op.inputs()[0]);
                emit(op.outputs()[0], new V(g.op("Sigmoid", a.name()), a.shape(), a.nchw()));
            }
            case BuiltinOps.SOFTMAX -> softmax(op);
            case BuiltinOps.CONCATENATION -> concat(op);
            case BuiltinOps.STRIDED_SLICE -> stridedSlice(op);
            case BuiltinOps.SPLIT -> split(op);
            case BuiltinOps.PAD, BuiltinOps.PADV2 -> pad(op);
            case BuiltinOps.RESHAPE -> reshape(op);
            case BuiltinOps.TRANSPOSE -> transpose(op);
            case BuiltinOps.RESIZE_NEAREST_NEIGHBOR -> resizeNearest(op);
            case BuiltinOps.BATCH_MATMUL -> batchMatMul(op);
            case BuiltinOps.QUANTIZE, BuiltinOps.DEQUANTIZE -> {
                if (op.code() == BuiltinOps.QUANTIZE && requantizeLikeXnnpack(op)) {
                    return;
                }
                // the requantisation / dequantisation itself is the output's QDQ (int8) or nothing (fp32)
                V a = value(op.inputs()[0]);
                emit(op.outputs()[0], a);
            }
            default -> throw fail("unsupported operator");
        }
    }

    /** CONV_2D (weights [O, KH, KW, I/groups]) and DEPTHWISE_CONV_2D (weights [1, KH, KW, C * multiplier]). */
    private void conv(TfliteOperator op, boolean depthwise) {
        TfliteOperator.Options o = op.options();
        int padding = o.getByte(0, 0);
        int sw = o.getInt(1, 1), sh = o.getInt(2, 1);
        int act = depthwise ? o.getByte(4, 0) : o.getByte(3, 0);
        int dw = o.getInt(depthwise ? 5 : 4, 1), dh = o.getInt(depthwise ? 6 : 5, 1);
        V x = nchw(value(op.inputs()[0]));
        TfliteTensor w = constant(op.inputs()[1], "weights");
        int[] ws = w.shape();
        long cin = x.shape()[3];
        int kh = ws[1], kw = ws[2];
        long cout;
        long group;
        String weight;
        if (depthwise) {
            cout = ws[3];
            group = cin;
            if (cout % cin != 0) {
                throw fail("depthwise weights with " + cout + " channels for " + cin + " input channels");
            }
            weight = operand(w, new int[] {3, 0, 1, 2}); // [1,KH,KW,O] -> [O,1,KH,KW]
        } else {
            cout = ws[0];
            if (cin % ws[3] != 0) {
                throw fail("weights for " + ws[3] + " input channels, input has " + cin);
            }
            group = cin / ws[3];
            weight = operand(w, new int[] {0, 3, 1, 2}); // [O,KH,KW,I] -> [O,I,KH,KW]
        }
        List<String> in = new ArrayList<>(List.of(x.name(), weight));
        if (op.inputs().length > 2 && op.inputs()[2] >= 0) {
            in.add(operand(constant(op.inputs()[2], "bias"), null));
        }
        long h = x.shape()[1], wd = x.shape()[2];
        long[] ph = pads(padding, h, kh, sh, dh);
        long[] pw = pads(padding, wd, kw, sw, dw);
        String y = g.op("Conv", in, Attr.ints("kernel_shape", kh, kw), Attr.ints("strides", sh, sw),
                Attr.ints("pads", ph[0], pw[0], ph[1], pw[1]), Attr.ints("dilations", dh, dw), Attr.i("group", group));
        long[] shape = {x.shape()[0], ph[2], pw[2], cout};
        emit(op.outputs()[0], new V(activation(y, act), shape, true));
    }

    /** TFLite's padding for one spatial axis: {before, after, output size} (SAME = 0, VALID = 1). */
    static long[] pads(int padding, long in, int k, int stride, int dilation) {
        long effK = (long) (k - 1) * dilation + 1;
        long out = padding == 0 ? (in + stride - 1) / stride : (in - effK + stride) / stride;
        if (out <= 0) {
            throw new IllegalArgumentException("a " + k + "x" + k + " window does not fit an input of " + in);
        }
        long total = padding == 0 ? Math.max((out - 1) * stride + effK - in, 0) : 0;
        return new long[] {total / 2, total - total / 2, out};
    }

    /** TRANSPOSE_CONV: inputs (output_shape, weights [O, KH, KW, I], input, bias?). */
    private void transposeConv(TfliteOperator op) {
        TfliteOperator.Options o = op.options();
        int padding = o.getByte(0, 0);
        int sw = o.getInt(1, 1), sh = o.getInt(2, 1);
        int act = o.getByte(3, 0);
        TfliteTensor w = constant(op.inputs()[1], "weights");
        V x = nchw(value(op.inputs()[2]));
        int[] ws = w.shape();
        int kh = ws[1], kw = ws[2];
        int[] nativeOut = model.tensor(op.outputs()[0]).shape();
        int[] nativeIn = model.tensor(op.inputs()[2]).shape();
        long outH = nativeOut[1] + (x.shape()[1] - nativeIn[1]) * sh;
        long outW = nativeOut[2] + (x.shape()[2] - nativeIn[2]) * sw;
        String weight = operand(w, new int[] {3, 0, 1, 2}); // [O,KH,KW,I] -> [I,O,KH,KW]
        List<String> in = new ArrayList<>(List.of(x.name(), weight));
        if (op.inputs().length > 3 && op.inputs()[3] >= 0) {
            in.add(operand(constant(op.inputs()[3], "bias"), null));
        }
        // TFLite: padding computed as for the forward convolution from the output back to the input
        long[] ph = pads(padding, outH, kh, sh, 1);
        long[] pw = pads(padding, outW, kw, sw, 1);
        long endH = (x.shape()[1] - 1) * sh + kh - ph[0] - outH;
        long endW = (x.shape()[2] - 1) * sw + kw - pw[0] - outW;
        long opH = Math.max(0, -endH), opW = Math.max(0, -endW);
        AttributeProto[] attrs = {Attr.ints("kernel_shape", kh, kw), Attr.ints("strides", sh, sw),
                Attr.ints("pads", ph[0], pw[0], Math.max(endH, 0), Math.max(endW, 0)),
                Attr.ints("output_padding", opH, opW)};
        long[] shape = {x.shape()[0], outH, outW, ws[0]};
        if (act == 0 && options.arithmetic() == Arithmetic.TFLITE && transposeConvLikeTflite(op, attrs, shape)) {
            return;
        }
        String y = g.op("ConvTranspose", in, attrs);
        emit(op.outputs()[0], new V(activation(y, act), shape, true));
    }

    // ---- TFLite's own integer arithmetic where ONNX Runtime's QDQ kernels round differently ---------------------
    //
    // The reference runtime (TFLite with its XNNPACK delegate, as tfjs-tflite runs it) computes convolutions,
    // elementwise operators, LOGISTIC, CONCATENATION, ... exactly as ONNX Runtime's QLinear kernels do (int32
    // accumulation, one fp32 requantisation rounded to nearest even); checked operator by operator on the
    // reference's own intermediate tensors, they agree bit for bit. Three operators do not:
    //  - QUANTIZE int8 -> int8 runs as XNNPACK's "convert", whose multiplier has only 8 fractional bits (one step
    //    off on up to 2% of the values; it alone made the raw outputs drift apart by several steps downstream);
    //  - TRANSPOSE_CONV with per-channel weights is not taken by this XNNPACK and runs TFLite's builtin kernel,
    //    which requantises with a 31-bit fixed-point multiplier and rounds twice (MultiplyByQuantizedMultiplier);
    //  - ADD / SUB run as XNNPACK's qs8 vadd, with 20-bit fixed-point multipliers (a few values in 10^4).
    // They are emulated exactly below, with integer-valued float and double arithmetic.

    /** The uint8 (zero point + 128) value of an int8 per-tensor activation, or null. */
    private String rawInt8(int index) {
        V v = values[index];
        TfliteTensor t = model.tensor(index);
        if (v == null || v.dq() == null || t.type() != TensorType.INT8 || t.quantization().perChannel()) {
            return null;
        }
        return v.dq()[0];
    }

    private boolean int8PerTensorOutput(int index) {
        TfliteTensor t = model.tensor(index);
        return int8 && t.type() == TensorType.INT8 && isQuantized(t) && !t.quantization().perChannel()
                && !floatTail(t);
    }

    /** Records an int8 activation given as its uint8 (zero point + 128) value. */
    private void emitRaw(int index, String uint8, long[] shape, boolean nchw) {
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
        values[index] = new V(name, shape, nchw, new String[] {name, sz[0], sz[1], null});
    }

    /** Integer-valued floats (exact below 2^24) -> uint8, saturating. */
    private String saturateToUint8(String integers) {
        return g.op("QuantizeLinear", List.of(integers, g.scalar(1f),
                constant(DataType.UINT8, new byte[] {0})));
    }

    /**
     * QUANTIZE int8 -> int8 as XNNPACK's qs8 convert: {@code m = lrintf(256 * s_in / s_out)},
     * {@code y = clamp((zp_out * 256 - m * zp_in + 128 + x * m) >> 8)} (XNNPACK takes ratios in [1/256, 128]; TFLite's
     * own kernel, for the others, is left to the QDQ pair). On the uint8 values {@code u = x + 128} all terms stay
     * integers below 2^24, exact in float.
     */
    private boolean requantizeLikeXnnpack(TfliteOperator op) {
        int in = op.inputs()[0], out = op.outputs()[0];
        String u = rawInt8(in);
        if (u == null || !int8PerTensorOutput(out)) {
            return false;
        }
        Quantization qi = model.tensor(in).quantization(), qo = model.tensor(out).quantization();
        float ratio = qi.scale() / qo.scale();
        if (!(ratio >= 1f / 256f && ratio <= 128f)) {
            return false;
        }
        long m = (long) Math.rint(256f * ratio);
        long bias = (qo.zeroPoint() << 8) - m * qi.zeroPoint() + 0x80;
        // y + 128 = floor((bias - 128 m + 128 * 256 + u m) / 256)
        long c = bias - 128 * m + 128 * 256;
        V x = values[in];
        String t = g.op("Cast", u, Attr.i("to", DataType.FLOAT.getNumber()));
        t = g.op("Mul", List.of(t, g.scalar(m)));
        t = g.op("Add", List.of(t, g.scalar(c)));
        t = g.op("Floor", g.op("Mul", List.of(t, g.scalar(1f / 256f))));
        emitRaw(out, saturateToUint8(t), x.shape(), x.nchw());
        return true;
    }

    /**
     * TRANSPOSE_CONV with per-channel int8 weights as TFLite's builtin kernel computes it: the exact int32
     * accumulator (here a float ConvTranspose of integer values, exact while it stays below 2^24), plus the bias,
     * requantised per channel by {@code MultiplyByQuantizedMultiplier} (SaturatingRoundingDoublingHighMul, then
     * RoundingDivideByPOT), reproduced exactly in double.
     */
    private boolean transposeConvLikeTflite(TfliteOperator op, AttributeProto[] attrs, long[] shape) {
        int in = op.inputs()[2], out = op.outputs()[0];
        TfliteTensor w = model.tensor(op.inputs()[1]);
        TfliteTensor b = op.inputs().length > 3 && op.inputs()[3] >= 0 ? model.tensor(op.inputs()[3]) : null;
        String u = rawInt8(in);
        Quantization qw = w.quantization();
        if (u == null || !int8PerTensorOutput(out) || w.type() != TensorType.INT8 || qw == null || !qw.perChannel()
                || qw.axis() != 0 || (b != null && (b.type() != TensorType.INT32 || !b.isConstant()))) {
            return false;
        }
        int[] ws = w.shape();
        int cout = ws[0];
        long[] wRaw = w.rawInts();
        long[] bRaw = b == null ? new long[cout] : b.rawInts();
        for (long z : qw.zeroPoints()) {
            if (z != 0) {
                return false;
            }
        }
        int per = wRaw.length / cout;
        for (int o = 0; o < cout; o++) {
            long bound = Math.abs(bRaw[o]);
            for (int k = 0; k < per; k++) {
                bound += 255 * Math.abs(wRaw[o * per + k]);
            }
            if (bound >= 1 << 24) {
                return false; // the float accumulator might round
            }
        }
        Quantization qi = model.tensor(in).quantization(), qo = model.tensor(out).quantization();
        // MultiplyByQuantizedMultiplier(acc, q, shift), shift = -e <= 0: h = floor((acc q + 2^30) / 2^31)
        // (SaturatingRoundingDoublingHighMul: halves up), then halves away from zero: floor((h + 2^(e-1) - [h < 0])
        // / 2^e). Nested floors fold into one: floor(acc * q / 2^(31+e) + 1/2 + 2^-(e+1) - [h < 0] 2^-e), with
        // h < 0 iff acc q < -2^30. In double, plus half the 2^-(31+e) granularity so that an exact integer never
        // floors below itself: the error (under 2^-43 for |values| < 2^9; larger ones saturate) stays below that
        // margin while e <= 10.
        double[] cq = new double[cout], k = new double[cout], kNeg = new double[cout], thr = new double[cout];
        for (int o = 0; o < cout; o++) {
            double scale = (double) qi.scale() * (double) qw.scales()[o] / (double) qo.scale();
            long[] qm = quantizeMultiplier(scale);
            int shift = (int) qm[1];
            int e = Math.max(-shift, 0);
            if (qm[0] == 0 || e > 10) {
                return false;
            }
            cq[o] = Math.scalb((double) qm[0], Math.max(shift, 0) - 31 - e);
            double margin = Math.scalb(1.0, -32 - e) + qo.zeroPoint() + 128;
            k[o] = 0.5 + (e > 0 ? Math.scalb(1.0, -e - 1) : 0) + margin;
            kNeg[o] = k[o] - (e > 0 ? Math.scalb(1.0, -e) : 0);
            thr[o] = qm[0] == 1L << 30 && shift <= 0 ? -1.5 : -0.5;
        }
        V x = values[in];
        String xf = g.op("Cast", u, Attr.i("to", DataType.FLOAT.getNumber()));
        xf = g.op("Sub", List.of(xf, g.scalar(qi.zeroPoint() + 128)));
        float[] wf = new float[wRaw.length];
        for (int i = 0; i < wf.length; i++) {
            wf[i] = wRaw[i];
        }
        int[] perm = {3, 0, 1, 2}; // [O,KH,KW,I] -> [I,O,KH,KW]
        wf = Tensors.permute(wf, ws, perm);
        String wn = g.weight("w" + w.index() + "_int", wf, Tensors.toLongs(Tensors.permuteShape(ws, perm)));
        float[] bf = new float[cout];
        for (int o = 0; o < cout; o++) {
            bf[o] = bRaw[o];
        }
        String acc = g.op("ConvTranspose", List.of(xf, wn, g.weight("b" + op.index() + "_int", bf, cout)), attrs);
        long[] cdims = {1, cout, 1, 1};
        String a = g.op("Cast", acc, Attr.i("to", DataType.DOUBLE.getNumber()));
        String corr = g.op("Where", List.of(g.op("Less", List.of(a, doubleConst(cdims, thr))),
                doubleConst(cdims, kNeg), doubleConst(cdims, k)));
        String v = g.op("Add", List.of(g.op("Mul", List.of(a, doubleConst(cdims, cq))), corr));
        // floor and saturate to uint8: clamp to [0, 255.5], then Cast truncates
        v = g.op("Clip", List.of(v, doubleConst(new long[0], new double[] {0}),
                doubleConst(new long[0], new double[] {255.5})));
        emitRaw(out, g.op("Cast", v, Attr.i("to", DataType.UINT8.getNumber())), shape, true);
        return true;
    }

    private String doubleConst(long[] dims, double[] v) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(v.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.asDoubleBuffer().put(v);
        return constant(DataType.DOUBLE, buf.array(), dims);
    }

    /** TFLite's QuantizeMultiplier: {q31 significand, shift} with scale = q / 2^31 * 2^shift. */
    static long[] quantizeMultiplier(double scale) {
        if (scale == 0) {
            return new long[] {0, 0};
        }
        int shift = Math.getExponent(scale) + 1; // frexp: scale = f * 2^shift, f in [0.5, 1)
        double f = scale / Math.scalb(1.0, shift);
        long q = Math.round(f * (1L << 31));
        if (q == 1L << 31) {
            q /= 2;
            shift++;
        }
        if (shift < -31) {
            return new long[] {0, 0};
        }
        return new long[] {q, shift};
    }

    private void maxPool(TfliteOperator op) {
        TfliteOperator.Options o = op.options();
        int padding = o.getByte(0, 0);
        int sw = o.getInt(1, 1), sh = o.getInt(2, 1);
        int fw = o.getInt(3, 1), fh = o.getInt(4, 1);
        int act = o.getByte(5, 0);
        V x = nchw(value(op.inputs()[0]));
        long[] ph = pads(padding, x.shape()[1], fh, sh, 1);
        long[] pw = pads(padding, x.shape()[2], fw, sw, 1);
        // ONNX MaxPool ignores padded cells, as TFLite does
        String y = g.op("MaxPool", x.name(), Attr.ints("kernel_shape", fh, fw), Attr.ints("strides", sh, sw),
                Attr.ints("pads", ph[0], pw[0], ph[1], pw[1]));
        emit(op.outputs()[0], new V(activation(y, act), new long[] {x.shape()[0], ph[2], pw[2], x.shape()[3]}, true));
    }

    private void binary(TfliteOperator op, String onnxOp, int act) {
        int ia = op.inputs()[0], ib = op.inputs()[1];
        boolean ca = model.tensor(ia).isConstant() && values[ia] == null;
        boolean cb = model.tensor(ib).isConstant() && values[ib] == null;
        V a, b;
        if (ca && cb) {
            throw fail("both operands are constants");
        } else if (ca || cb) {
            V act0 = value(ca ? ib : ia);
            V c = constOperand(model.tensor(ca ? ia : ib), act0, ca ? ib : ia);
            a = ca ? c : act0;
            b = ca ? act0 : c;
        } else {
            a = value(ia);
            b = value(ib);
            if (a.rank() == 4 && b.rank() == 4 && a.nchw() != b.nchw()) {
                a = nchw(a);
                b = nchw(b);
            } else if (a.rank() != b.rank()) {
                a = logical(a);
                b = logical(b);
            }
        }
        long[] shape = broadcast(a.shape(), b.shape());
        boolean nchw = a.rank() == 4 ? a.nchw() : b.rank() == 4 && b.nchw();
        if (act == 0 && !onnxOp.equals("Mul") && options.arithmetic() == Arithmetic.TFLITE
                && addLikeXnnpack(op, onnxOp.equals("Sub"), a, b, shape, nchw && shape.length == 4)) {
            return;
        }
        String y = g.op(onnxOp, List.of(a.name(), b.name()));
        emit(op.outputs()[0], new V(activation(y, act), shape, nchw && shape.length == 4));
    }

    /**
     * ADD / SUB of int8 tensors as XNNPACK's qs8 vadd: with {@code r_a = s_a / s_out}, {@code r_b = s_b / s_out}
     * (float, r_b negated for SUB) and {@code shift = 20 - exponent(max |r|)}, 20-bit multipliers
     * {@code m = lrintf(r * 2^shift)}, then {@code y = zp_out + ((2^(shift-1) + (a - zp_a) m_a + (b - zp_b) m_b) >> shift)},
     * saturated. ONNX Runtime's QLinearAdd rounds the float sum instead and differs on a few values in 10^4.
     * {@code a}, {@code b}: the operands as dequantised floats, already laid out for broadcasting; their integers
     * are recovered exactly by rounding in double (all terms below 2^31, exact).
     */
    private boolean addLikeXnnpack(TfliteOperator op, boolean subtract, V a, V b, long[] shape, boolean nchw) {
        int ia = op.inputs()[0], ib = op.inputs()[1], out = op.outputs()[0];
        TfliteTensor ta = model.tensor(ia), tb = model.tensor(ib);
        if (!int8PerTensorOutput(out) || !int8PerTensor(ta) || !int8PerTensor(tb)
                || (values[ia] != null && values[ia].dq() == null) || (values[ib] != null && values[ib].dq() == null)) {
            return false;
        }
        Quantization qa = ta.quantization(), qb = tb.quantization(), qo = model.tensor(out).quantization();
        float ra = qa.scale() / qo.scale(), rb = qb.scale() / qo.scale();
        // the XNNPACK delegate takes ratios in [2^-10, 2^8); TFLite's own kernel, for the others, is left to ONNX
        if (!(ra >= 1f / 1024f && ra < 256f && rb >= 1f / 1024f && rb < 256f)) {
            return false;
        }
        int shift = 20 - Math.getExponent(Math.max(ra, rb));
        double ma = Math.rint(Math.scalb((double) ra, shift));
        double mb = Math.rint(Math.scalb((double) rb, shift)) * (subtract ? -1 : 1);
        double bias = Math.scalb(1.0, shift - 1) + Math.scalb((double) qo.zeroPoint() + 128, shift);
        String t = g.op("Add", List.of(g.op("Mul", List.of(centered(a, qa), doubleConst(new long[0], new double[] {ma}))),
                g.op("Mul", List.of(centered(b, qb), doubleConst(new long[0], new double[] {mb})))));
        t = g.op("Mul", List.of(g.op("Add", List.of(t, doubleConst(new long[0], new double[] {bias}))),
                doubleConst(new long[0], new double[] {Math.scalb(1.0, -shift)})));
        // floor and saturate to uint8 (zero point + 128): clamp to [0, 255.5], then Cast truncates
        t = g.op("Clip", List.of(t, doubleConst(new long[0], new double[] {0}),
                doubleConst(new long[0], new double[] {255.5})));
        emitRaw(out, g.op("Cast", t, Attr.i("to", DataType.UINT8.getNumber())), shape, nchw);
        return true;
    }

    private static boolean int8PerTensor(TfliteTensor t) {
        return t.type() == TensorType.INT8 && isQuantized(t) && !t.quantization().perChannel();
    }

    /** {@code q - zero_point} of a dequantised int8 value, as double: round(x / scale), exact. */
    private String centered(V v, Quantization q) {
        String d = g.op("Cast", v.name(), Attr.i("to", DataType.DOUBLE.getNumber()));
        return g.op("Round", g.op("Mul", List.of(d, doubleConst(new long[0], new double[] {1.0 / q.scale()}))));
    }

    /**
     * A constant operand of an elementwise operator, laid out like the other operand; a constant tied to the
     * file's input size (anchor grids) is regenerated for the new size.
     */
    private V constOperand(TfliteTensor c, V other, int otherIndex) {
        int[] cs = c.shape();
        long[] shapeNow = Tensors.toLongs(cs);
        float[] regenerated = null;
        if (!broadcastable(shapeNow, other.shape())) {
            float[] nativeValues = c.dequantized();
            regenerated = AnchorConstants.regenerate(c, nativeValues, nativeW, nativeH, newW, newH);
            if (regenerated == null) {
                throw fail("constant #" + c.index() + " " + Arrays.toString(cs)
                        + " depends on the file's input size and is not a known anchor grid");
            }
            shapeNow = Tensors.toLongs(cs);
            shapeNow[cs.length - 1] = other.shape()[other.rank() - 1];
            if (!broadcastable(shapeNow, other.shape())) {
                throw fail("cannot resize constant #" + c.index() + " " + Arrays.toString(cs));
            }
        }
        int[] shape = Tensors.toInts(shapeNow);
        // numpy broadcasting aligns trailing dimensions: pad to the other operand's rank
        if (shape.length < other.rank() && other.nchw()) {
            int[] padded = new int[other.rank()];
            Arrays.fill(padded, 1);
            System.arraycopy(shape, 0, padded, other.rank() - shape.length, shape.length);
            shape = padded;
        }
        int[] perm = other.nchw() && shape.length == 4 ? NHWC_TO_NCHW : null;
        String name;
        if (regenerated != null) {
            name = constValues(c, regenerated, shape, perm);
        } else {
            name = operandShaped(c, shape, perm);
        }
        return new V(name, Tensors.toLongs(shape), perm != null);
    }

    private void softmax(TfliteOperator op) {
        float beta = op.options().getFloat(0, 1f);
        V x = value(op.inputs()[0]);
        String in = x.name();
        if (beta != 1f) {
            in = g.op("Mul", List.of(in, g.scalar(beta)));
        }
        int axis = onnxAxis(x, x.rank() - 1);
        emit(op.outputs()[0], new V(g.op("Softmax", in, Attr.i("axis", axis)), x.shape(), x.nchw()));
    }

    private void concat(TfliteOperator op) {
        int axis = op.options().getInt(0, 0);
        int act = op.options().getByte(1, 0);
        List<V> ins = new ArrayList<>();
        boolean anyNchw = false;
        for (int i : op.inputs()) {
            V v = model.tensor(i).isConstant() && values[i] == null ? constValue(model.tensor(i)) : value(i);
            ins.add(v);
            anyNchw |= v.nchw();
        }
        int rank = ins.get(0).rank();
        int ax = axis < 0 ? axis + rank : axis;
        long[] shape = ins.get(0).shape().clone();
        shape[ax] = 0;
        List<String> names = new ArrayList<>();
        for (V v : ins) {
            V u = anyNchw ? nchw(v) : v;
            for (int d = 0; d < rank; d++) {
                if (d != ax && u.shape()[d] != ins.get(0).shape()[d]) {
                    throw fail("inputs of shapes " + Arrays.toString(ins.get(0).shape()) + " and "
                            + Arrays.toString(u.shape()) + " cannot be concatenated on axis " + ax);
                }
            }
            shape[ax] += u.shape()[ax];
            names.add(u.name());
        }
        V probe = new V("", shape, anyNchw && rank == 4);
        String y = g.op("Concat", names, Attr.i("axis", onnxAxis(probe, ax)));
        emit(op.outputs()[0], new V(activation(y, act), shape, probe.nchw()));
    }

    private void stridedSlice(TfliteOperator op) {
        TfliteOperator.Options o = op.options();
        int beginMask = o.getInt(0, 0), endMask = o.getInt(1, 0), ellipsis = o.getInt(2, 0);
        int newAxis = o.getInt(3, 0), shrink = o.getInt(4, 0);
        boolean offset = o.getBool(5, false);
        if (ellipsis != 0 || newAxis != 0) {
            throw fail("ellipsis_mask and new_axis_mask are not supported");
        }
        V x = value(op.inputs()[0]);
        if (shrink != 0) {
            x = logical(x);
        }
        int[] begin = constant(op.inputs()[1], "begin").intValues();
        int[] end = constant(op.inputs()[2], "end").intValues();
        int[] strides = constant(op.inputs()[3], "strides").intValues();
        int[] nativeShape = model.tensor(op.inputs()[0]).shape();
        int rank = x.rank();
        long[] starts = new long[rank], ends = new long[rank], steps = new long[rank];
        long[] shape = new long[rank];
        for (int d = 0; d < rank; d++) {
            int st = d < strides.length ? strides[d] : 1;
            if (st == 0) {
                throw fail("stride 0");
            }
            long nat = nativeShape[d];
            long[] r = sliceRange(nat, d < begin.length ? begin[d] : 0, d < end.length ? end[d] : (int) nat, st,
                    (beginMask >> d & 1) != 0, (endMask >> d & 1) != 0, offset, (shrink >> d & 1) != 0);
            long dim = x.shape()[d];
            if (dim != nat) {
                boolean full = st == 1 && r[0] == 0 && r[1] == nat;
                if (!full) {
                    throw fail("a partial slice [" + r[0] + ":" + r[1] + ":" + st + "] of axis " + d
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
            int a = onnxAxis(x, d);
            axes[d] = a;
            os[d] = starts[d];
            oe[d] = ends[d] < 0 ? Long.MIN_VALUE : ends[d];
            ost[d] = steps[d];
        }
        String y = g.op("Slice", List.of(x.name(), g.ints(os), g.ints(oe), g.ints(axes), g.ints(ost)));
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
            y = g.op("Squeeze", List.of(y, g.ints(sq.stream().mapToLong(Long::longValue).toArray())));
            shape = kept.stream().mapToLong(Long::longValue).toArray();
            emit(op.outputs()[0], new V(y, shape, false));
            return;
        }
        emit(op.outputs()[0], new V(y, shape, x.nchw()));
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
            b = beginMask ? 0 : clamp(b < 0 ? b + dim : b, 0, dim);
            e = endMask ? dim : clamp(e < 0 ? e + dim : e, 0, dim);
        } else {
            b = beginMask ? dim - 1 : clamp(b < 0 ? b + dim : b, -1, dim - 1);
            e = endMask ? -1 : clamp(e < 0 ? e + dim : e, -1, dim - 1);
        }
        return new long[] {b, e};
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private void split(TfliteOperator op) {
        int n = op.options().getInt(0, op.outputs().length);
        int axis = constant(op.inputs()[0], "axis").intValues()[0];
        V x = value(op.inputs()[1]);
        int ax = axis < 0 ? axis + x.rank() : axis;
        long dim = x.shape()[ax];
        if (n != op.outputs().length || dim % n != 0) {
            throw fail("cannot split an axis of " + dim + " into " + n + " equal parts");
        }
        if (dim != model.tensor(op.inputs()[1]).shape()[ax]) {
            throw fail("splitting an axis whose size depends on the input size");
        }
        long[] sizes = new long[n];
        Arrays.fill(sizes, dim / n);
        String[] ys = g.op("Split", List.of(x.name(), g.ints(sizes)), n, Attr.i("axis", onnxAxis(x, ax)));
        long[] shape = x.shape().clone();
        shape[ax] = dim / n;
        for (int i = 0; i < n; i++) {
            emit(op.outputs()[i], new V(ys[i], shape, x.nchw()));
        }
    }

    private void pad(TfliteOperator op) {
        V x = value(op.inputs()[0]);
        int[] p = constant(op.inputs()[1], "paddings").intValues();
        int rank = x.rank();
        if (p.length != 2 * rank) {
            throw fail("paddings of " + p.length + " values for rank " + rank);
        }
        long[] pads = new long[2 * rank];
        long[] shape = x.shape().clone();
        for (int d = 0; d < rank; d++) {
            int a = onnxAxis(x, d);
            pads[a] = p[2 * d];
            pads[rank + a] = p[2 * d + 1];
            shape[d] += p[2 * d] + p[2 * d + 1];
        }
        List<String> in = new ArrayList<>(List.of(x.name(), g.ints(pads)));
        if (op.code() == BuiltinOps.PADV2 && op.inputs().length > 2 && op.inputs()[2] >= 0) {
            in.add(g.scalar(constant(op.inputs()[2], "constant value").dequantized()[0]));
        }
        // TFLite pads a quantised tensor with its zero point: real 0, what Pad's default gives
        emit(op.outputs()[0], new V(g.op("Pad", in, Attr.s("mode", "constant")), shape, x.nchw()));
    }

    private void reshape(TfliteOperator op) {
        V x = logical(value(op.inputs()[0]));
        long[] nativeIn = Tensors.toLongs(model.tensor(op.inputs()[0]).shape());
        long[] nativeOut = Tensors.toLongs(model.tensor(op.outputs()[0]).shape());
        long[] target = reshapes.newTarget(nativeIn, nativeOut, x.shape());
        String y = g.op("Reshape", List.of(x.name(), g.ints(target)));
        emit(op.outputs()[0], new V(y, target, false));
    }

    private void transpose(TfliteOperator op) {
        V x = value(op.inputs()[0]);
        int[] perm = constant(op.inputs()[1], "perm").intValues();
        long[] shape = new long[perm.length];
        for (int j = 0; j < perm.length; j++) {
            shape[j] = x.shape()[perm[j]];
        }
        if (x.nchw() && Arrays.equals(perm, NHWC_TO_NCHW)) {
            emit(op.outputs()[0], new V(x.name(), shape, false)); // already stored that way
            return;
        }
        if (!x.nchw() && x.rank() == 4 && Arrays.equals(perm, NCHW_TO_NHWC)) {
            emit(op.outputs()[0], new V(x.name(), shape, true));
            return;
        }
        x = logical(x);
        emit(op.outputs()[0], new V(g.op("Transpose", x.name(), Attr.ints("perm", Tensors.toLongs(perm))), shape,
                false));
    }

    private void resizeNearest(TfliteOperator op) {
        boolean alignCorners = op.options().getBool(0, false);
        boolean halfPixel = op.options().getBool(1, false);
        V x = nchw(value(op.inputs()[0]));
        int[] nativeIn = model.tensor(op.inputs()[0]).shape();
        int[] nativeOut = model.tensor(op.outputs()[0]).shape();
        long[] out = new long[2];
        for (int d = 0; d < 2; d++) {
            long in = x.shape()[1 + d];
            if (in == nativeIn[1 + d]) {
                out[d] = nativeOut[1 + d];
            } else if (nativeOut[1 + d] % nativeIn[1 + d] == 0) {
                out[d] = in * (nativeOut[1 + d] / nativeIn[1 + d]);
            } else {
                throw fail("non-integer resize factor " + nativeOut[1 + d] + "/" + nativeIn[1 + d]
                        + " on an axis whose size depends on the input size");
            }
        }
        long[] shape = {x.shape()[0], out[0], out[1], x.shape()[3]};
        String sizes = g.ints(shape[0], shape[3], out[0], out[1]);
        AttributeProto coord;
        AttributeProto nearest;
        if (alignCorners) { // in = round(out * (in - 1) / (out - 1)), halves away from zero
            coord = Attr.s("coordinate_transformation_mode", "align_corners");
            nearest = Attr.s("nearest_mode", "round_prefer_ceil");
        } else if (halfPixel && !integerFactors(x.shape(), shape)) { // in = floor((out + 0.5) * in / out)
            coord = Attr.s("coordinate_transformation_mode", "tf_half_pixel_for_nn");
            nearest = Attr.s("nearest_mode", "floor");
        } else {
            // in = floor(out * in / out); for integer upscaling factors k, floor((o + 0.5) / k) == floor(o / k),
            // so half_pixel_centers needs no deprecated mode there
            coord = Attr.s("coordinate_transformation_mode", "asymmetric");
            nearest = Attr.s("nearest_mode", "floor");
        }
        String y = g.op("Resize", List.of(x.name(), "", "", sizes), Attr.s("mode", "nearest"), coord, nearest);
        emit(op.outputs()[0], new V(y, shape, true));
    }

    private static boolean integerFactors(long[] in, long[] out) {
        return out[1] % in[1] == 0 && out[2] % in[2] == 0;
    }

    private void batchMatMul(TfliteOperator op) {
        boolean adjX = op.options().getBool(0, false), adjY = op.options().getBool(1, false);
        V a = logical(value(op.inputs()[0]));
        V b = logical(value(op.inputs()[1]));
        String an = adjX ? swapLast(a) : a.name();
        String bn = adjY ? swapLast(b) : b.name();
        long[] as = a.shape(), bs = b.shape();
        long m = adjX ? as[as.length - 1] : as[as.length - 2];
        long k = adjX ? as[as.length - 2] : as[as.length - 1];
        long kb = adjY ? bs[bs.length - 1] : bs[bs.length - 2];
        long n = adjY ? bs[bs.length - 2] : bs[bs.length - 1];
        if (k != kb) {
            throw fail("inner dimensions " + k + " and " + kb + " differ");
        }
        long[] batch = broadcast(Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        long[] shape = Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = m;
        shape[batch.length + 1] = n;
        emit(op.outputs()[0], new V(g.op("MatMul", List.of(an, bn)), shape, false));
    }

    private String swapLast(V v) {
        long[] perm = new long[v.rank()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        perm[perm.length - 1] = perm.length - 2;
        perm[perm.length - 2] = perm.length - 1;
        return g.op("Transpose", v.name(), Attr.ints("perm", perm));
    }

    // ---- values, layouts, constants -----------------------------------------------------------------------

    private V value(int index) {
        V v = values[index];
        if (v != null && v.dq() != null) {
            String[] d = v.dq();
            String y = d[3] == null ? g.op("DequantizeLinear", List.of(v.name(), d[1], d[2]))
                    : g.op("DequantizeLinear", List.of(v.name(), d[1], d[2]), Attr.i("axis", Integer.parseInt(d[3])));
            return new V(y, v.shape(), v.nchw());
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

    private V constValue(TfliteTensor t) {
        return new V(operand(t, null), Tensors.toLongs(t.shape()), false);
    }

    private TfliteTensor constant(int index, String what) {
        TfliteTensor t = model.tensor(index);
        if (!t.isConstant()) {
            throw fail("the " + what + " (tensor #" + index + ") must be a constant");
        }
        return t;
    }

    /** Records an op's output: adds the QDQ pair of the TFLite output tensor in int8 mode. */
    private void emit(int index, V v) {
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
            v = new V(qv, v.shape(), v.nchw(), new String[] {qv, sz[0], sz[1], q.perChannel() ? "" + axis : null});
        }
        values[index] = v;
    }

    private V nchw(V v) {
        if (v.rank() != 4) {
            throw fail("expected a 4-d NHWC tensor, got shape " + Arrays.toString(v.shape()));
        }
        if (v.nchw()) {
            return v;
        }
        return new V(g.op("Transpose", v.name(), Attr.ints("perm", 0, 3, 1, 2)), v.shape(), true);
    }

    /** The value in its TFLite layout. */
    private V logical(V v) {
        if (!v.nchw()) {
            return v;
        }
        return new V(g.op("Transpose", v.name(), Attr.ints("perm", 0, 2, 3, 1)), v.shape(), false);
    }

    /** ONNX axis of TFLite axis {@code d} of value {@code v}. */
    private static int onnxAxis(V v, int d) {
        int a = d < 0 ? d + v.rank() : d;
        if (!v.nchw()) {
            return a;
        }
        return new int[] {0, 2, 3, 1}[a];
    }

    private boolean floatTail(TfliteTensor t) {
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

    private static boolean isQuantized(TfliteTensor t) {
        return t.quantization() != null && (t.type() == TensorType.INT8 || t.type() == TensorType.UINT8);
    }

    private String activation(String y, int act) {
        return switch (act) {
            case 0 -> y;
            case 1 -> g.op("Relu", y);
            case 2 -> g.op("Clip", List.of(y, g.scalar(-1f), g.scalar(1f)));
            case 3 -> g.op("Clip", List.of(y, g.scalar(0f), g.scalar(6f)));
            case 4 -> g.op("Tanh", y);
            default -> throw fail("fused activation " + act + " is not supported");
        };
    }

    private String[] scaleZero(Quantization q, TensorType type) {
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
    private String[] shiftedToUint8(Quantization q) {
        String scale = g.constFloats(new long[0], q.scale());
        String zp = constant(DataType.UINT8, Tensors.int8Bytes(new long[] {q.zeroPoint() + 128}));
        return new String[] {scale, zp};
    }

    /** A typed constant as a Constant node (the graph builder's initialisers are float / int64 only). */
    private String constant(DataType type, byte[] raw, long... dims) {
        TensorProto t = GraphBuilder.tensor("value", type, raw, dims);
        return g.op("Constant", List.of(), Attr.tensor("value", t));
    }

    /** A constant operand, dimensions permuted by {@code perm} (null = as stored). */
    private String operand(TfliteTensor t, int[] perm) {
        return operandShaped(t, t.shape(), perm);
    }

    /**
     * A constant operand viewed with {@code shape} (same element count as the tensor, e.g. with leading ones),
     * permuted by {@code perm}: int8/int32 data with DequantizeLinear in int8 mode, dequantised floats otherwise.
     */
    private String operandShaped(TfliteTensor t, int[] shape, int[] perm) {
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
    private String constValues(TfliteTensor t, float[] values, int[] shape, int[] perm) {
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

    private static boolean broadcastable(long[] c, long[] other) {
        try {
            return Arrays.equals(broadcast(c, other), other);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
