package org.peopleseg.models.tflite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recomputes RESHAPE targets when the input size changes. A TFLite file stores its reshape targets as constants
 * for the file's own input size; the weights do not depend on it. The native input and output shapes are aligned
 * into groups of consecutive dimensions with equal products ({@code [1,144,40,40] -> [1,144,1600]}: groups
 * {1}{144}{40,40 -> 1600}); a group whose input dimensions changed is recomputed: merged (product of the new
 * dimensions), kept 1:1, or split back into the factors recorded when the same dimensions were merged earlier
 * (attention blocks flatten H x W and restore it later).
 */
final class ReshapePlan {
    /** native factors + new product -> new factors, from earlier merges */
    private final Map<String, long[]> merges = new HashMap<>();

    /**
     * @param nativeIn  the input's shape at the file's size
     * @param nativeOut the target at the file's size (no -1)
     * @param newIn     the input's shape at the new size
     * @return the target at the new size
     * @throws IllegalArgumentException when the new target cannot be derived
     */
    long[] newTarget(long[] nativeIn, long[] nativeOut, long[] newIn) {
        if (Arrays.equals(nativeIn, newIn)) {
            return nativeOut.clone();
        }
        long[] out = new long[nativeOut.length];
        int i = 0, o = 0;
        while (i < nativeIn.length || o < nativeOut.length) {
            // one group: grow the side with the smaller product until both match
            List<Integer> gi = new ArrayList<>(), go = new ArrayList<>();
            long pi = 1, po = 1;
            if (i < nativeIn.length) {
                gi.add(i);
                pi *= nativeIn[i++];
            }
            if (o < nativeOut.length) {
                go.add(o);
                po *= nativeOut[o++];
            }
            while (pi != po) {
                if (pi < po && i < nativeIn.length) {
                    gi.add(i);
                    pi *= nativeIn[i++];
                } else if (po < pi && o < nativeOut.length) {
                    go.add(o);
                    po *= nativeOut[o++];
                } else {
                    throw new IllegalArgumentException("reshape " + Arrays.toString(nativeIn) + " -> "
                            + Arrays.toString(nativeOut) + " does not preserve the element count");
                }
            }
            boolean changed = false;
            long newProduct = 1;
            long[] nativeFactors = new long[gi.size()];
            long[] newFactors = new long[gi.size()];
            for (int k = 0; k < gi.size(); k++) {
                int d = gi.get(k);
                changed |= nativeIn[d] != newIn[d];
                newProduct *= newIn[d];
                nativeFactors[k] = nativeIn[d];
                newFactors[k] = newIn[d];
            }
            if (!changed) {
                for (int d : go) {
                    out[d] = nativeOut[d];
                }
                continue;
            }
            List<Integer> big = new ArrayList<>();
            for (int d : go) {
                if (nativeOut[d] == 1) {
                    out[d] = 1;
                } else {
                    big.add(d);
                }
            }
            if (big.size() == 1) {
                out[big.get(0)] = newProduct;
                List<Long> nf = new ArrayList<>(), wf = new ArrayList<>();
                for (int k = 0; k < nativeFactors.length; k++) {
                    if (nativeFactors[k] != 1) {
                        nf.add(nativeFactors[k]);
                        wf.add(newFactors[k]);
                    }
                }
                if (nf.size() > 1) {
                    merges.put(key(nf.stream().mapToLong(Long::longValue).toArray(), newProduct),
                            wf.stream().mapToLong(Long::longValue).toArray());
                }
                continue;
            }
            long[] nativeSplit = big.stream().mapToLong(d -> nativeOut[d]).toArray();
            long[] recorded = merges.get(key(nativeSplit, newProduct));
            if (recorded == null) {
                throw new IllegalArgumentException("reshape " + Arrays.toString(nativeIn) + " -> "
                        + Arrays.toString(nativeOut) + " splits a dimension that depends on the input size into "
                        + Arrays.toString(nativeSplit) + ", and no earlier reshape tells how to split it at the new size");
            }
            for (int k = 0; k < big.size(); k++) {
                out[big.get(k)] = recorded[k];
            }
        }
        return out;
    }

    private static String key(long[] nativeFactors, long newProduct) {
        return Arrays.toString(nativeFactors) + "=" + newProduct;
    }
}
