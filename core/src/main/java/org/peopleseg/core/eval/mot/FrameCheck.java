package org.peopleseg.core.eval.mot;

import java.util.HashSet;
import java.util.Set;

/** Argument checks shared by the accumulators' per-frame {@code update}. */
final class FrameCheck {
    private FrameCheck() {
    }

    static void check(int[] gtIds, int[] hypIds, double[][] distances) {
        if (distances.length != gtIds.length) {
            throw new IllegalArgumentException("distances has " + distances.length + " rows for " + gtIds.length
                    + " ground-truth ids");
        }
        for (double[] row : distances) {
            if (row.length != hypIds.length) {
                throw new IllegalArgumentException("a distance row has " + row.length + " entries for "
                        + hypIds.length + " hypothesis ids");
            }
        }
        unique(gtIds, "ground-truth");
        unique(hypIds, "hypothesis");
    }

    private static void unique(int[] ids, String what) {
        Set<Integer> seen = new HashSet<>();
        for (int id : ids) {
            if (!seen.add(id)) {
                throw new IllegalArgumentException(what + " id " + id + " appears twice in one frame");
            }
        }
    }

    /** Whether a pair may be matched: a finite distance (NaN and infinity mark "too far apart"). */
    static boolean pairable(double d) {
        return Double.isFinite(d);
    }
}
