package org.peopleseg.models.tflite;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One tensor of a subgraph.
 *
 * @param index        its index in the subgraph
 * @param shape        TFLite shape (NHWC for images)
 * @param data         the constant data (little-endian), or null for a tensor computed at run time
 * @param quantization null for float tensors
 */
public record TfliteTensor(int index, String name, TensorType type, int[] shape, ByteBuffer data,
                           Quantization quantization) {

    public boolean isConstant() {
        return data != null;
    }

    public long elementCount() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    public int rank() {
        return shape.length;
    }

    /** The constant's values as float: dequantised ({@code scale * (q - zp)}) when quantised. */
    public float[] dequantized() {
        requireConstant();
        int n = (int) elementCount();
        float[] out = new float[n];
        ByteBuffer b = data.duplicate().order(data.order());
        switch (type) {
            case FLOAT32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getFloat(4 * i);
                }
                return out;
            }
            case INT8, UINT8, INT32, INT16, INT64 -> {
                long[] q = rawInts();
                if (quantization == null) {
                    for (int i = 0; i < n; i++) {
                        out[i] = q[i];
                    }
                    return out;
                }
                int axis = quantization.axis();
                int inner = 1;
                for (int d = axis + 1; d < shape.length; d++) {
                    inner *= shape[d];
                }
                int channels = quantization.perChannel() ? shape[axis] : 1;
                for (int i = 0; i < n; i++) {
                    int c = channels == 1 ? 0 : (i / inner) % channels;
                    // TFLite's reference Dequantize: float multiply of the int difference
                    out[i] = quantization.scales()[c] * (float) (q[i] - quantization.zeroPoints()[c]);
                }
                return out;
            }
            default -> throw new TfliteFormatException("tensor " + name + ": cannot read " + type + " values");
        }
    }

    /** Integer constant values widened to long (INT8, UINT8, INT16, INT32, INT64). */
    public long[] rawInts() {
        requireConstant();
        int n = (int) elementCount();
        if (data.remaining() < (long) n * type.bytes()) {
            throw new TfliteFormatException("tensor " + name + ": buffer holds " + data.remaining() + " bytes, shape "
                    + Arrays.toString(shape) + " of " + type + " needs " + (long) n * type.bytes());
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (type) {
                case INT8 -> data.get(i);
                case UINT8 -> Byte.toUnsignedInt(data.get(i));
                case INT16 -> data.getShort(2 * i);
                case INT32 -> data.getInt(4 * i);
                case INT64 -> data.getLong(8 * i);
                default -> throw new TfliteFormatException("tensor " + name + ": " + type + " is not an integer type");
            };
        }
        return out;
    }

    /** Integer constant as int[] (shapes, axes, paddings). */
    public int[] intValues() {
        long[] v = rawInts();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.toIntExact(v[i]);
        }
        return out;
    }

    private void requireConstant() {
        if (data == null) {
            throw new TfliteFormatException("tensor " + index + " (" + name + ") has no constant data");
        }
    }

    @Override
    public String toString() {
        return "#" + index + " " + name + " " + type + Arrays.toString(shape) + (data != null ? " const" : "")
                + (quantization != null ? " " + quantization : "");
    }
}
