package org.peopleseg.models.tflite;

/**
 * Translates one TFLite operator into ONNX nodes: reads its inputs from the {@link ConversionContext} and records
 * its outputs there. One translator per operator family ({@link OperatorTranslators} registers them by builtin
 * operator code), in the way tf2onnx's TFLite handlers are grouped by family and registered by operator name.
 * Throws {@link UnsupportedModelException} (through {@link ConversionContext#fail}) or IllegalArgumentException
 * (which the converter turns into one) for what it cannot translate.
 */
@FunctionalInterface
interface OperatorTranslator {
    void translate(TfliteOperator op, ConversionContext cx);
}
