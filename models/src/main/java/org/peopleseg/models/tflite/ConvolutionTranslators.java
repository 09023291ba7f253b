package org.peopleseg.models.tflite;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peopleseg.models.tflite.ConversionContext.Value;
import org.peopleseg.runtime.onnx.Attr;
import org.peopleseg.runtime.onnx.proto.Onnx.AttributeProto;

/**
 * CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV and MAX_POOL_2D: NHWC windows over NCHW values, with TFLite's SAME /
 * VALID padding turned into ONNX's explicit pads.
 */
final class ConvolutionTranslators {
    private ConvolutionTranslators() {}

    static void register(Map<Integer, OperatorTranslator> r) {
        OperatorTranslators.put(r, (op, cx) -> conv(op, cx, false), BuiltinOps.CONV_2D);
        OperatorTranslators.put(r, (op, cx) -> conv(op, cx, true), BuiltinOps.DEPTHWISE_CONV_2D);
        OperatorTranslators.put(r, ConvolutionTranslators::transposeConv, BuiltinOps.TRANSPOSE_CONV);
        OperatorTranslators.put(r, ConvolutionTranslators::maxPool, BuiltinOps.MAX_POOL_2D);
    }

    /** CONV_2D (weights [O, KH, KW, I/groups]) and DEPTHWISE_CONV_2D (weights [1, KH, KW, C * multiplier]). */
    private static void conv(TfliteOperator op, ConversionContext cx, boolean depthwise) {
        TfliteOperator.Options o = op.options();
        int padding = o.getByte(0, 0);
        int sw = o.getInt(1, 1), sh = o.getInt(2, 1);
        int act = depthwise ? o.getByte(4, 0) : o.getByte(3, 0);
        int dw = o.getInt(depthwise ? 5 : 4, 1), dh = o.getInt(depthwise ? 6 : 5, 1);
        Value x = cx.nchw(cx.value(op.inputs()[0]));
        TfliteTensor w = cx.constant(op.inputs()[1], "weights");
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
                throw cx.fail("depthwise weights with " + cout + " channels for " + cin + " input channels");
            }
            weight = cx.operand(w, new int[] {3, 0, 1, 2}); // [1,KH,KW,O] -> [O,1,KH,KW]
        } else {
            cout = ws[0];
            if (cin % ws[3] != 0) {
                throw cx.fail("weights for " + ws[3] + " input channels, input has " + cin);
            }
            group = cin / ws[3];
            weight = cx.operand(w, new int[] {0, 3, 1, 2}); // [O,KH,KW,I] -> [O,I,KH,KW]
        }
        List<String> in = new ArrayList<>(List.of(x.name(), weight));
        if (op.inputs().length > 2 && op.inputs()[2] >= 0) {
            in.add(cx.operand(cx.constant(op.inputs()[2], "bias"), null));
        }
        long h = x.shape()[1], wd = x.shape()[2];
        long[] ph = pads(padding, h, kh, sh, dh);
        long[] pw = pads(padding, wd, kw, sw, dw);
        String y = cx.g.op("Conv", in, Attr.ints("kernel_shape", kh, kw), Attr.ints("strides", sh, sw),
                Attr.ints("pads", ph[0], pw[0], ph[1], pw[1]), Attr.ints("dilations", dh, dw), Attr.i("group", group));
        long[] shape = {x.shape()[0], ph[2], pw[2], cout};
        cx.emit(op.outputs()[0], new Value(cx.activation(y, act), shape, true));
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
    private static void transposeConv(TfliteOperator op, ConversionContext cx) {
        TfliteOperator.Options o = op.options();
        int padding = o.getByte(0, 0);
        int sw = o.getInt(1, 1), sh = o.getInt(2, 1);
        int act = o.getByte(3, 0);
        TfliteTensor w = cx.constant(op.inputs()[1], "weights");
        Value x = cx.nchw(cx.value(op.inputs()[2]));
        int[] ws = w.shape();
        int kh = ws[1], kw = ws[2];
        int[] nativeOut = cx.model.tensor(op.outputs()[0]).shape();
        int[] nativeIn = cx.model.tensor(op.inputs()[2]).shape();
        long outH = nativeOut[1] + (x.shape()[1] - nativeIn[1]) * sh;
        long outW = nativeOut[2] + (x.shape()[2] - nativeIn[2]) * sw;
        String weight = cx.operand(w, new int[] {3, 0, 1, 2}); // [O,KH,KW,I] -> [I,O,KH,KW]
        List<String> in = new ArrayList<>(List.of(x.name(), weight));
        if (op.inputs().length > 3 && op.inputs()[3] >= 0) {
            in.add(cx.operand(cx.constant(op.inputs()[3], "bias"), null));
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
        if (act == 0 && cx.options.arithmetic() == TfliteConverter.Arithmetic.TFLITE
                && ExactArithmetic.transposeConv(op, cx, attrs, shape)) {
            return;
        }
        String y = cx.g.op("ConvTranspose", in, attrs);
        cx.emit(op.outputs()[0], new Value(cx.activation(y, act), shape, true));
    }

    private static void maxPool(TfliteOperator op, ConversionContext cx) {
        TfliteOperator.Options o = op.options();
        int padding = o.getByte(0, 0);
        int sw = o.getInt(1, 1), sh = o.getInt(2, 1);
        int fw = o.getInt(3, 1), fh = o.getInt(4, 1);
        int act = o.getByte(5, 0);
        Value x = cx.nchw(cx.value(op.inputs()[0]));
        long[] ph = pads(padding, x.shape()[1], fh, sh, 1);
        long[] pw = pads(padding, x.shape()[2], fw, sw, 1);
        // ONNX MaxPool ignores padded cells, as TFLite does
        String y = cx.g.op("MaxPool", x.name(), Attr.ints("kernel_shape", fh, fw), Attr.ints("strides", sh, sw),
                Attr.ints("pads", ph[0], pw[0], ph[1], pw[1]));
        cx.emit(op.outputs()[0], new Value(cx.activation(y, act),
                new long[] {x.shape()[0], ph[2], pw[2], x.shape()[3]}, true));
    }
}
