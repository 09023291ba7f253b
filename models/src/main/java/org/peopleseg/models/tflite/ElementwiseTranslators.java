package org.peopleseg.models.tflite;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.peopleseg.models.tflite.ConversionContext.Value;

/**
 * ADD, SUB, MUL and LOGISTIC: the operands are aligned to one layout before numpy broadcasting; a constant operand
 * takes the other's layout, and one tied to the file's input size (an anchor grid) is regenerated for the new size.
 */
final class ElementwiseTranslators {
    private ElementwiseTranslators() {}

    static void register(Map<Integer, OperatorTranslator> r) {
        OperatorTranslators.put(r, (op, cx) -> binary(op, cx, "Add", op.options().getByte(0, 0)), BuiltinOps.ADD);
        OperatorTranslators.put(r, (op, cx) -> binary(op, cx, "Sub", op.options().getByte(0, 0)), BuiltinOps.SUB);
        OperatorTranslators.put(r, (op, cx) -> binary(op, cx, "Mul", op.options().getByte(0, 0)), BuiltinOps.MUL);
        OperatorTranslators.put(r, ElementwiseTranslators::logistic, BuiltinOps.LOGISTIC);
    }

    private static void logistic(TfliteOperator op, ConversionContext cx) {
        Value a = cx.value(op.inputs()[0]);
        cx.emit(op.outputs()[0], new Value(cx.g.op("Sigmoid", a.name()), a.shape(), a.nchw()));
    }

    private static void binary(TfliteOperator op, ConversionContext cx, String onnxOp, int act) {
        int ia = op.inputs()[0], ib = op.inputs()[1];
        boolean ca = cx.model.tensor(ia).isConstant() && cx.recorded(ia) == null;
        boolean cb = cx.model.tensor(ib).isConstant() && cx.recorded(ib) == null;
        Value a, b;
        if (ca && cb) {
            throw cx.fail("both operands are constants");
        } else if (ca || cb) {
            Value act0 = cx.value(ca ? ib : ia);
            Value c = constOperand(cx, cx.model.tensor(ca ? ia : ib), act0);
            a = ca ? c : act0;
            b = ca ? act0 : c;
        } else {
            a = cx.value(ia);
            b = cx.value(ib);
            if (a.rank() == 4 && b.rank() == 4 && a.nchw() != b.nchw()) {
                a = cx.nchw(a);
                b = cx.nchw(b);
            } else if (a.rank() != b.rank()) {
                a = cx.logical(a);
                b = cx.logical(b);
            }
        }
        long[] shape = ConversionContext.broadcast(a.shape(), b.shape());
        boolean nchw = a.rank() == 4 ? a.nchw() : b.rank() == 4 && b.nchw();
        if (act == 0 && !onnxOp.equals("Mul") && cx.options.arithmetic() == TfliteConverter.Arithmetic.TFLITE
                && ExactArithmetic.add(op, cx, onnxOp.equals("Sub"), a, b, shape, nchw && shape.length == 4)) {
            return;
        }
        String y = cx.g.op(onnxOp, List.of(a.name(), b.name()));
        cx.emit(op.outputs()[0], new Value(cx.activation(y, act), shape, nchw && shape.length == 4));
    }

    /**
     * A constant operand of an elementwise operator, laid out like the other operand; a constant tied to the
     * file's input size (anchor grids) is regenerated for the new size.
     */
    private static Value constOperand(ConversionContext cx, TfliteTensor c, Value other) {
        int[] cs = c.shape();
        long[] shapeNow = Tensors.toLongs(cs);
        float[] regenerated = null;
        if (!ConversionContext.broadcastable(shapeNow, other.shape())) {
            float[] nativeValues = c.dequantized();
            regenerated = AnchorConstants.regenerate(c, nativeValues, cx.nativeW, cx.nativeH, cx.newW, cx.newH);
            if (regenerated == null) {
                throw cx.fail("constant #" + c.index() + " " + Arrays.toString(cs)
                        + " depends on the file's input size and is not a known anchor grid");
            }
            shapeNow = Tensors.toLongs(cs);
            shapeNow[cs.length - 1] = other.shape()[other.rank() - 1];
            if (!ConversionContext.broadcastable(shapeNow, other.shape())) {
                throw cx.fail("cannot resize constant #" + c.index() + " " + Arrays.toString(cs));
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
        int[] perm = other.nchw() && shape.length == 4 ? ConversionContext.NHWC_TO_NCHW : null;
        String name;
        if (regenerated != null) {
            name = cx.constValues(c, regenerated, shape, perm);
        } else {
            name = cx.operandShaped(c, shape, perm);
        }
        return new Value(name, Tensors.toLongs(shape), perm != null);
    }
}
