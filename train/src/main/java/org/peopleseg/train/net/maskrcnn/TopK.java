package org.peopleseg.train.net.maskrcnn;

import java.util.Arrays;

/** Ranking by score on primitive arrays: one sort of packed (score, index) keys, ties broken by lower index. */
final class TopK {
    private TopK() {}

    /** The {@code k} of {@code candidates} with the highest {@code values}, best first. */
    static int[] descending(float[] values, int[] candidates, int k) {
        long[] keys = new long[candidates.length];
        for (int i = 0; i < candidates.length; i++) {
            keys[i] = ((long) sortableDescending(values[candidates[i]]) << 32) | (candidates[i] & 0xFFFFFFFFL);
        }
        Arrays.sort(keys);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = (int) keys[i];
        }
        return out;
    }

    /** The top k of values[from, to), as absolute indices, best first. */
    static int[] descendingRange(float[] values, int from, int to, int k) {
        int[] c = new int[to - from];
        for (int i = 0; i < c.length; i++) {
            c[i] = from + i;
        }
        return descending(values, c, k);
    }

    /** An int whose ascending order is the float's descending order (NaN last). */
    private static int sortableDescending(float v) {
        if (Float.isNaN(v)) {
            return Integer.MAX_VALUE;
        }
        int bits = Float.floatToIntBits(-v == 0f ? 0f : -v);
        return bits ^ ((bits >> 31) & 0x7FFFFFFF);
    }
}
