package org.peopleseg.models.tflite;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.peopleseg.models.tflite.ConversionContext.Value;
import org.peopleseg.runtime.onnx.Attr;
import org.peopleseg.runtime.onnx.proto.Onnx.AttributeProto;

/**
 * Operators that move data — RESHAPE, TRANSPOSE, RESIZE_NEAREST_NEIGHBOR, BATCH_MATMUL — with shapes re-derived for
 * another input size ({@link ReshapePlan}); a TRANSPOSE between NHWC and NCHW of a value already stored that way
 * costs nothing.
 */
final class ShapeTranslators {
    private ShapeTranslators() {}

    static void register(Map<Integer, OperatorTranslator> r) {
        OperatorTranslators.put(r, ShapeTranslators::reshape, BuiltinOps.RESHAPE);
        OperatorTranslators.put(r, ShapeTranslators::transpose, BuiltinOps.TRANSPOSE);
        OperatorTranslators.put(r, ShapeTranslators::resizeNearest, BuiltinOps.RESIZE_NEAREST_NEIGHBOR);
        OperatorTranslators.put(r, ShapeTranslators::batchMatMul, BuiltinOps.BATCH_MATMUL);
    }

    private static void reshape(TfliteOperator op, ConversionContext cx) {
        Value x = cx.logical(cx.value(op.inputs()[0]));
        long[] nativeIn = Tensors.toLongs(cx.model.tensor(op.inputs()[0]).shape());
        long[] nativeOut = Tensors.toLongs(cx.model.tensor(op.outputs()[0]).shape());
        long[] target = cx.reshapes.newTarget(nativeIn, nativeOut, x.shape());
        String y = cx.g.op("Reshape", List.of(x.name(), cx.g.ints(target)));
        cx.emit(op.outputs()[0], new Value(y, target, false));
    }

    private static void transpose(TfliteOperator op, ConversionContext cx) {
        Value x = cx.value(op.inputs()[0]);
        int[] perm = cx.constant(op.inputs()[1], "perm").intValues();
        long[] shape = new long[perm.length];
        for (int j = 0; j < perm.length; j++) {
            shape[j] = x.shape()[perm[j]];
        }
        if (x.nchw() && Arrays.equals(perm, ConversionContext.NHWC_TO_NCHW)) {
            cx.emit(op.outputs()[0], new Value(x.name(), shape, false)); // already stored that way
            return;
        }
        if (!x.nchw() && x.rank() == 4 && Arrays.equals(perm, ConversionContext.NCHW_TO_NHWC)) {
            cx.emit(op.outputs()[0], new Value(x.name(), shape, true));
            return;
        }
        x = cx.logical(x);
        cx.emit(op.outputs()[0], new Value(cx.g.op("Transpose", x.name(), Attr.ints("perm", Tensors.toLongs(perm))),
                shape, false));
    }

    private static void resizeNearest(TfliteOperator op, ConversionContext cx) {
        boolean alignCorners = op.options().getBool(0, false);
        boolean halfPixel = op.options().getBool(1, false);
        Value x = cx.nchw(cx.value(op.inputs()[0]));
        int[] nativeIn = cx.model.tensor(op.inputs()[0]).shape();
        int[] nativeOut = cx.model.tensor(op.outputs()[0]).shape();
        long[] out = new long[2];
        for (int d = 0; d < 2; d++) {
            long in = x.shape()[1 + d];
            if (in == nativeIn[1 + d]) {
                out[d] = nativeOut[1 + d];
            } else if (nativeOut[1 + d] % nativeIn[1 + d] == 0) {
                out[d] = in * (nativeOut[1 + d] / nativeIn[1 + d]);
            } else {
                throw cx.fail("non-integer resize factor " + nativeOut[1 + d] + "/" + nativeIn[1 + d]
                        + " on an axis whose size depends on the input size");
            }
        }
        long[] shape = {x.shape()[0], out[0], out[1], x.shape()[3]};
        String sizes = cx.g.ints(shape[0], shape[3], out[0], out[1]);
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
        String y = cx.g.op("Resize", List.of(x.name(), "", "", sizes), Attr.s("mode", "nearest"), coord, nearest);
        cx.emit(op.outputs()[0], new Value(y, shape, true));
    }

    private static boolean integerFactors(long[] in, long[] out) {
        return out[1] % in[1] == 0 && out[2] % in[2] == 0;
    }

    private static void batchMatMul(TfliteOperator op, ConversionContext cx) {
        boolean adjX = op.options().getBool(0, false), adjY = op.options().getBool(1, false);
        Value a = cx.logical(cx.value(op.inputs()[0]));
        Value b = cx.logical(cx.value(op.inputs()[1]));
        String an = adjX ? swapLast(cx, a) : a.name();
        String bn = adjY ? swapLast(cx, b) : b.name();
        long[] as = a.shape(), bs = b.shape();
        long m = adjX ? as[as.length - 1] : as[as.length - 2];
        long k = adjX ? as[as.length - 2] : as[as.length - 1];
        long kb = adjY ? bs[bs.length - 1] : bs[bs.length - 2];
        long n = adjY ? bs[bs.length - 2] : bs[bs.length - 1];
        if (k != kb) {
            throw cx.fail("inner dimensions " + k + " and " + kb + " differ");
        }
        long[] batch = ConversionContext.broadcast(Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        long[] shape = Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = m;
        shape[batch.length + 1] = n;
        cx.emit(op.outputs()[0], new Value(cx.g.op("MatMul", List.of(an, bn)), shape, false));
    }

    private static String swapLast(ConversionContext cx, Value v) {
        long[] perm = new long[v.rank()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        perm[perm.length - 1] = perm.length - 2;
        perm[perm.length - 2] = perm.length - 1;
        return cx.g.op("Transpose", v.name(), Attr.ints("perm", perm));
    }
}
