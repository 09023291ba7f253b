package org.peopleseg.models.tflite;

/**
 * The TFLite model cannot be converted: an operator or option this importer does not cover, or an input size the
 * model's graph cannot take. The message names the operator (index and TFLite name) and the reason.
 */
public final class UnsupportedModelException extends RuntimeException {
    public UnsupportedModelException(String message) {
        super(message);
    }
}
