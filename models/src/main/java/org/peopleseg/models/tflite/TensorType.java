package org.peopleseg.models.tflite;

/** TFLite's TensorType enum (schema.fbs), with the element size of the types this importer reads. */
public enum TensorType {
    FLOAT32(4), FLOAT16(2), INT32(4), UINT8(1), INT64(8), STRING(0), BOOL(1), INT16(2), COMPLEX64(8), INT8(1),
    FLOAT64(8), COMPLEX128(16), UINT64(8), RESOURCE(0), VARIANT(0), UINT32(4), UINT16(2), INT4(0), BFLOAT16(2);

    private final int bytes;

    TensorType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element (0 for types without a fixed size). */
    public int bytes() {
        return bytes;
    }

    static TensorType of(int code) {
        if (code < 0 || code >= values().length) {
            throw new TfliteFormatException("unknown tensor type code " + code);
        }
        return values()[code];
    }
}
