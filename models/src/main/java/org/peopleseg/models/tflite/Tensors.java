package org.peopleseg.models.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Small array helpers for constant tensors: permutation of dimensions and little-endian packing. */
final class Tensors {
    private Tensors() {}

    /** {@code out[j] = shape[perm[j]]}. */
    static int[] permuteShape(int[] shape, int[] perm) {
        int[] out = new int[perm.length];
        for (int j = 0; j < perm.length; j++) {
            out[j] = shape[perm[j]];
        }
        return out;
    }

    /** Index map of a transpose: {@code result[i]} is the source index of output element i. */
    static int[] permutationIndex(int[] shape, int[] perm) {
        int rank = shape.length;
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        int[] srcStride = new int[rank];
        int s = 1;
        for (int d = rank - 1; d >= 0; d--) {
            srcStride[d] = s;
            s *= shape[d];
        }
        int[] outShape = permuteShape(shape, perm);
        int[] idx = new int[rank];
        int[] map = new int[n];
        for (int i = 0; i < n; i++) {
            int src = 0;
            for (int j = 0; j < rank; j++) {
                src += idx[j] * srcStride[perm[j]];
            }
            map[i] = src;
            for (int j = rank - 1; j >= 0; j--) {
                if (++idx[j] < outShape[j]) {
                    break;
                }
                idx[j] = 0;
            }
        }
        return map;
    }

    static float[] permute(float[] data, int[] shape, int[] perm) {
        int[] map = permutationIndex(shape, perm);
        float[] out = new float[data.length];
        for (int i = 0; i < map.length; i++) {
            out[i] = data[map[i]];
        }
        return out;
    }

    static long[] permute(long[] data, int[] shape, int[] perm) {
        int[] map = permutationIndex(shape, perm);
        long[] out = new long[data.length];
        for (int i = 0; i < map.length; i++) {
            out[i] = data[map[i]];
        }
        return out;
    }

    static byte[] int8Bytes(long[] v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    static byte[] int32Bytes(long[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putInt((int) x);
        }
        return b.array();
    }

    static long[] toLongs(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.toIntExact(v[i]);
        }
        return out;
    }
}
