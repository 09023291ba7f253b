package org.peopleseg.models.tflite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.peopleseg.runtime.onnx.GraphBuilder;
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
 *
 * <p>Structure (the shape of tf2onnx's TFLite handlers): this class checks the model and walks its operators; one
 * {@link OperatorTranslator} per operator family, registered by builtin code in {@link OperatorTranslators},
 * translates each; the {@link ConversionContext} holds the graph, the values with their layouts, the QDQ pairs
 * and the constants; {@link ExactArithmetic} holds the emulation of TFLite's own rounding.
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

    private final TfliteModel model;
    private final Options options;
    /** Debugging (convertForDebug): TFLite tensor index -> ONNX value of its quantised output, or null. */
    private final Map<Integer, String[]> quantizedValues;
    private final boolean isolate;

    private TfliteConverter(TfliteModel model, Options options, Map<Integer, String[]> quantizedValues,
                            boolean isolate) {
        this.model = model;
        this.options = options;
        this.quantizedValues = quantizedValues;
        this.isolate = isolate;
    }

    /**
     * @throws UnsupportedModelException naming the operator that cannot be converted, or the input size that the
     *                                   graph cannot take
     */
    public static Converted convert(TfliteModel model, Options options) {
        return new TfliteConverter(model, options, null, false).run();
    }

    /**
     * For debugging parity: converts as {@link #convert}, filling {@code quantizedValues} with the ONNX value that
     * holds each quantised activation and its layout ({value, "nchw" | "logical"}; int8 mode: the QuantizeLinear
     * output, uint8 for int8 tensors); with
     * {@code isolate} every such activation is read from a graph input of the same type named "t" + tensor index
     * (NCHW where the value is stored NCHW), so each operator can be compared on the reference's own inputs.
     */
    static Converted convertForDebug(TfliteModel model, Options options, Map<Integer, String[]> quantizedValues,
                                     boolean isolate) {
        return new TfliteConverter(model, options, quantizedValues, isolate).run();
    }

    /** The operators of the model that this converter does not cover (empty when it can convert them all). */
    public static List<String> unsupportedOperators(TfliteModel model) {
        List<String> out = new ArrayList<>();
        for (TfliteOperator op : model.operators()) {
            if (OperatorTranslators.forCode(op.code()) == null || op.code() == BuiltinOps.CUSTOM) {
                String s = op.opName();
                if (!out.contains(s)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** TFLite's padding for one spatial axis: {before, after, output size} (SAME = 0, VALID = 1). */
    static long[] pads(int padding, long in, int k, int stride, int dilation) {
        return ConvolutionTranslators.pads(padding, in, k, stride, dilation);
    }

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
        int nativeH = s[1];
        int nativeW = s[2];
        int newW = options.inputWidth() > 0 ? options.inputWidth() : nativeW;
        int newH = options.inputHeight() > 0 ? options.inputHeight() : nativeH;
        if (newW <= 0 || newH <= 0) {
            throw new UnsupportedModelException("impossible input size " + newW + "x" + newH);
        }
        ConversionContext cx = new ConversionContext(model, options, nativeW, nativeH, newW, newH, quantizedValues,
                isolate);
        GraphBuilder g = cx.g;
        g.input(INPUT, DataType.FLOAT, new long[] {1, s[3], newH, newW});
        cx.emit(in.index(), new ConversionContext.Value(INPUT, new long[] {1, newH, newW, s[3]}, true));

        for (TfliteOperator op : model.operators()) {
            cx.enter(op);
            g.push("op" + op.index());
            try {
                OperatorTranslators.forCode(op.code()).translate(op, cx);
            } catch (IllegalArgumentException e) {
                throw cx.fail(e.getMessage());
            } catch (IndexOutOfBoundsException | ArithmeticException e) {
                // A file's operator can lack an input or output, or carry a zero stride or size, that the
                // translators take as given (fuzzing found several): refused, named, instead of a crash.
                throw cx.fail("malformed operator (inputs " + Arrays.toString(op.inputs()) + ", outputs "
                        + Arrays.toString(op.outputs()) + "): " + e.getMessage());
            } finally {
                g.pop();
            }
            if (newW == nativeW && newH == nativeH) {
                for (int o : op.outputs()) {
                    long[] got = cx.recorded(o).shape();
                    if (!Arrays.equals(got, Tensors.toLongs(model.tensor(o).shape()))) {
                        throw cx.fail("computed output shape " + Arrays.toString(got) + " differs from the file's "
                                + Arrays.toString(model.tensor(o).shape()));
                    }
                }
            }
        }
        List<Output> outs = new ArrayList<>();
        for (int o : model.outputs()) {
            ConversionContext.Value v = cx.logical(cx.value(o));
            outs.add(new Output(v.name(), v.shape(), model.tensor(o)));
        }
        return new Converted(g, INPUT, newW, newH, outs);
    }

    private static String supportedNames() {
        return OperatorTranslators.supportedCodes().stream().sorted().map(BuiltinOps::name)
                .reduce((a, b) -> a + ", " + b).orElse("");
    }
}
