package org.peopleseg.models.torch;

import java.util.Optional;

/**
 * Element types a PyTorch checkpoint may hold, as far as this reader supports them.
 *
 * <p>A checkpoint does not name a tensor's dtype directly: the pickle references a legacy storage
 * class such as {@code torch.FloatStorage}, and the dtype follows from it. Complex and quantised
 * storages are deliberately absent, so a checkpoint using them is refused rather than misread.
 */
public enum TorchDtype {
    FLOAT32("float32", "FloatStorage", 4, true),
    FLOAT64("float64", "DoubleStorage", 8, true),
    FLOAT16("float16", "HalfStorage", 2, true),
    BFLOAT16("bfloat16", "BFloat16Storage", 2, true),
    INT64("int64", "LongStorage", 8, false),
    INT32("int32", "IntStorage", 4, false),
    INT16("int16", "ShortStorage", 2, false),
    INT8("int8", "CharStorage", 1, false),
    UINT8("uint8", "ByteStorage", 1, false),
    BOOL("bool", "BoolStorage", 1, false);

    private final String typeName;
    private final String storageClass;
    private final int byteSize;
    private final boolean floatingPoint;

    TorchDtype(String typeName, String storageClass, int byteSize, boolean floatingPoint) {
        this.typeName = typeName;
        this.storageClass = storageClass;
        this.byteSize = byteSize;
        this.floatingPoint = floatingPoint;
    }

    /** The name PyTorch prints after {@code torch.}, e.g. {@code "float32"} or {@code "bfloat16"}. */
    public String typeName() {
        return typeName;
    }

    /** The class in module {@code torch} that a checkpoint names for storages of this type, e.g. {@code FloatStorage}. */
    public String storageClass() {
        return storageClass;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** True for float32, float64, float16 and bfloat16. */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** The dtype whose storage class in module {@code torch} is {@code storageClass}, if supported. */
    public static Optional<TorchDtype> forStorageClass(String storageClass) {
        for (TorchDtype dtype : values()) {
            if (dtype.storageClass.equals(storageClass)) {
                return Optional.of(dtype);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return typeName;
    }
}
