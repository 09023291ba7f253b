package org.peopleseg.models.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One dense tensor read from a PyTorch checkpoint: a dtype, a shape, and its elements.
 *
 * <p>Immutable. Internally it is a view (offset and strides, exactly as PyTorch stores it) onto a storage
 * that other tensors of the same checkpoint may share, so reading a checkpoint never copies tensor data;
 * the {@code to...()} accessors copy the elements out in row-major (C) order, which makes non-contiguous
 * views (a transpose, an expanded tensor with stride 0) come out exactly as {@code tensor.contiguous()}
 * would in PyTorch.
 *
 * <p>A zero-dimensional tensor (a Python scalar such as {@code num_batches_tracked}) has an empty
 * {@link #shape()} and one element.
 */
public final class TorchTensor {
    /** Most elements a view larger than its storage (an expanded tensor) may have: 2^26, 256 MB as floats. */
    public static final long MAX_EXPANDED_ELEMENTS = 1L << 26;
    private final TorchStorage storage;
    private final long storageOffset;
    private final long[] shape;
    private final long[] strides;
    private final int numel;
    private final boolean contiguous;

    /**
     * Validates the view against its storage; {@link IllegalArgumentException} says what is inconsistent.
     *
     * @param storageOffset first element of the view, in elements of the storage's dtype
     */
    TorchTensor(TorchStorage storage, long storageOffset, long[] shape, long[] strides) {
        this.storage = Objects.requireNonNull(storage);
        this.shape = shape.clone();
        this.strides = strides.clone();
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " and strides "
                    + Arrays.toString(strides) + " differ in rank");
        }
        if (storageOffset < 0) {
            throw new IllegalArgumentException("negative storage offset " + storageOffset);
        }
        long count = 1;
        long lastElement = storageOffset;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0 || strides[d] < 0) {
                throw new IllegalArgumentException("negative size or stride: shape " + Arrays.toString(shape)
                        + ", strides " + Arrays.toString(strides));
            }
            try {
                count = Math.multiplyExact(count, shape[d]);
                if (shape[d] > 0) {
                    lastElement = Math.addExact(lastElement, Math.multiplyExact(shape[d] - 1, strides[d]));
                }
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " overflows");
            }
        }
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor of " + count + " elements is too large for Java arrays");
        }
        // A view may repeat its storage's elements (stride 0, PyTorch's expand): a few bytes of storage could then
        // claim 2^31 elements and every to...() copy would allocate up to 16 GB. Checkpoints of weights never need
        // that many repeats, so such a view is refused before anything is allocated.
        if (count > storage.numel() && count > MAX_EXPANDED_ELEMENTS) {
            throw new IllegalArgumentException("view (shape " + Arrays.toString(shape) + ", strides "
                    + Arrays.toString(strides) + ") repeats a storage of " + storage.numel() + " elements into " + count
                    + "; refused above " + MAX_EXPANDED_ELEMENTS + " elements");
        }
        if (count > 0 && lastElement >= storage.numel()) {
            throw new IllegalArgumentException("view (offset " + storageOffset + ", shape " + Arrays.toString(shape)
                    + ", strides " + Arrays.toString(strides) + ") reaches element " + lastElement
                    + " of a storage of " + storage.numel() + " elements");
        }
        this.storageOffset = storageOffset;
        this.numel = (int) count;
        this.contiguous = isRowMajor(shape, strides);
    }

    private static boolean isRowMajor(long[] shape, long[] strides) {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** The element type. */
    public TorchDtype dtype() {
        return storage.dtype();
    }

    /** The sizes of the dimensions; a copy, empty for a scalar. */
    public long[] shape() {
        return shape.clone();
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** The number of elements: the product of the shape, 1 for a scalar. */
    public long numel() {
        return numel;
    }

    /**
     * The elements as floats, row-major. float16 and bfloat16 widen exactly; float64 and int64 round to the
     * nearest float; bool gives 0 or 1.
     */
    public float[] toFloats() {
        float[] out = new float[numel];
        ByteBuffer b = storage.buffer();
        if (dtype() == TorchDtype.FLOAT32 && contiguous && numel > 0) {
            slice(b).asFloatBuffer().get(out);
            return out;
        }
        switch (dtype()) {
            case FLOAT32 -> forEachElement((i, p) -> out[i] = b.getFloat(p));
            case FLOAT64 -> forEachElement((i, p) -> out[i] = (float) b.getDouble(p));
            case FLOAT16 -> forEachElement((i, p) -> out[i] = halfToFloat(b.getShort(p)));
            case BFLOAT16 -> forEachElement((i, p) -> out[i] = bfloat16ToFloat(b.getShort(p)));
            default -> {
                long[] values = toLongs();
                for (int i = 0; i < numel; i++) {
                    out[i] = values[i];
                }
            }
        }
        return out;
    }

    /** The elements as doubles, row-major; exact for every dtype except int64 beyond 2<sup>53</sup>. */
    public double[] toDoubles() {
        double[] out = new double[numel];
        ByteBuffer b = storage.buffer();
        switch (dtype()) {
            case FLOAT32 -> forEachElement((i, p) -> out[i] = b.getFloat(p));
            case FLOAT64 -> forEachElement((i, p) -> out[i] = b.getDouble(p));
            case FLOAT16 -> forEachElement((i, p) -> out[i] = halfToFloat(b.getShort(p)));
            case BFLOAT16 -> forEachElement((i, p) -> out[i] = bfloat16ToFloat(b.getShort(p)));
            default -> {
                long[] values = toLongs();
                for (int i = 0; i < numel; i++) {
                    out[i] = values[i];
                }
            }
        }
        return out;
    }

    /**
     * The elements of an integer or bool tensor as longs, row-major (uint8 as 0..255, bool as 0 or 1).
     *
     * @throws IllegalStateException for a floating-point tensor, which has no exact long value
     */
    public long[] toLongs() {
        long[] out = new long[numel];
        ByteBuffer b = storage.buffer();
        switch (dtype()) {
            case INT64 -> forEachElement((i, p) -> out[i] = b.getLong(p));
            case INT32 -> forEachElement((i, p) -> out[i] = b.getInt(p));
            case INT16 -> forEachElement((i, p) -> out[i] = b.getShort(p));
            case INT8 -> forEachElement((i, p) -> out[i] = b.get(p));
            case UINT8 -> forEachElement((i, p) -> out[i] = b.get(p) & 0xff);
            case BOOL -> forEachElement((i, p) -> out[i] = b.get(p) != 0 ? 1 : 0);
            default -> throw new IllegalStateException("toLongs() needs an integer or bool tensor, this one is "
                    + dtype() + "; use toFloats() or toDoubles()");
        }
        return out;
    }

    /**
     * The elements in their own dtype as little-endian bytes, row-major: the layout ONNX's
     * {@code TensorProto.raw_data} expects.
     */
    public byte[] toRawBytes() {
        int size = dtype().byteSize();
        byte[] out = new byte[numel * size];
        ByteBuffer b = storage.buffer();
        boolean swap = b.order() != ByteOrder.LITTLE_ENDIAN && size > 1;
        if (contiguous && !swap && numel > 0) {
            slice(b).get(out);
            return out;
        }
        forEachElement((i, p) -> {
            for (int k = 0; k < size; k++) {
                out[i * size + k] = b.get(p + (swap ? size - 1 - k : k));
            }
        });
        return out;
    }

    /** Whether this tensor and {@code other} are views of the same storage record of the checkpoint. */
    boolean sharesStorageWith(TorchTensor other) {
        return storage.blob() == other.storage.blob();
    }

    /** Whether the view is row-major with no gaps, i.e. needs no gather to read. */
    boolean isContiguous() {
        return contiguous;
    }

    /** The contiguous elements of this view as a buffer of the storage's byte order. */
    private ByteBuffer slice(ByteBuffer b) {
        int start = storage.byteIndex(storageOffset);
        return b.duplicate().position(start).limit(start + numel * dtype().byteSize()).slice().order(b.order());
    }

    @FunctionalInterface
    private interface ElementVisitor {
        void visit(int index, int byteIndex);
    }

    /** Visits every element in row-major order with the byte index of its value in the storage buffer. */
    private void forEachElement(ElementVisitor visitor) {
        if (numel == 0) {
            return;
        }
        if (contiguous) {
            int base = storage.byteIndex(storageOffset);
            int size = dtype().byteSize();
            for (int i = 0; i < numel; i++) {
                visitor.visit(i, base + i * size);
            }
            return;
        }
        long[] index = new long[shape.length];
        long element = storageOffset;
        for (int i = 0; i < numel; i++) {
            visitor.visit(i, storage.byteIndex(element));
            for (int d = shape.length - 1; d >= 0; d--) {
                element += strides[d];
                if (++index[d] < shape[d]) {
                    break;
                }
                element -= strides[d] * shape[d];
                index[d] = 0;
            }
        }
    }

    /** IEEE 754 binary16 to float; exact (every half value is a float). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** bfloat16 is the upper half of a float32. */
    static float bfloat16ToFloat(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xffff) << 16);
    }

    /** Equal when dtype, shape and every element's bytes are equal (so NaN payloads matter, layout does not). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof TorchTensor t && dtype() == t.dtype() && Arrays.equals(shape, t.shape)
                && Arrays.equals(toRawBytes(), t.toRawBytes());
    }

    @Override
    public int hashCode() {
        return 31 * dtype().hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "TorchTensor[" + dtype() + " " + Arrays.toString(shape) + "]";
    }
}
