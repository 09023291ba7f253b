package org.peopleseg.models.tflite;

/** The file is not a TFLite flatbuffer this reader understands (truncated, corrupt, or another format). */
public final class TfliteFormatException extends RuntimeException {
    public TfliteFormatException(String message) {
        super(message);
    }
}
