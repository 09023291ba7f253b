package org.peopleseg.models.tflite;

import java.util.Map;

/**
 * QUANTIZE and DEQUANTIZE: the (re)quantisation itself is the output's QDQ pair in int8 mode, and nothing in fp32;
 * QUANTIZE int8 -> int8 rounds as XNNPACK's convert does in both {@link TfliteConverter.Arithmetic} modes
 * ({@link ExactArithmetic#requantize}).
 */
final class QuantizeTranslators {
    private QuantizeTranslators() {}

    static void register(Map<Integer, OperatorTranslator> r) {
        OperatorTranslators.put(r, QuantizeTranslators::quantize, BuiltinOps.QUANTIZE, BuiltinOps.DEQUANTIZE);
    }

    private static void quantize(TfliteOperator op, ConversionContext cx) {
        if (op.code() == BuiltinOps.QUANTIZE && ExactArithmetic.requantize(op, cx)) {
            return;
        }
        cx.emit(op.outputs()[0], cx.value(op.inputs()[0]));
    }
}
