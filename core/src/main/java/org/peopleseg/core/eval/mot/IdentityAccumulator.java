package org.peopleseg.core.eval.mot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.peopleseg.core.match.LinearAssignment;

/**
 * IDF1 and its parts (Ristani, Solera, Zou, Cucchiara &amp; Tomasi 2016, "Performance Measures and a Data Set for
 * Multi-Target, Multi-Camera Tracking"): unlike CLEAR-MOT, one matching for the whole sequence, so a tracker is
 * credited for how long it keeps the right identity rather than for how rarely it changes it.
 *
 * <p>The paper (and py-motmetrics' {@code id_global_assignment}) builds a bipartite graph of ground-truth and
 * hypothesis trajectories plus one "false" node per trajectory, where matching a pair (o, h) costs the boxes of o
 * not covered by h (IDFN) plus the boxes of h not covering o (IDFP), and a trajectory left with its false node costs
 * all its boxes; the minimum-cost perfect matching gives IDFN and IDFP. A box of o counts as covered by h in a frame
 * where both are present and pairable (IoU at the threshold), whatever CLEAR-MOT matched there. Since the cost of a
 * matching is (all ground-truth boxes + all hypothesis boxes − 2 · covered boxes of matched pairs), the same optimum
 * is a maximum-weight matching of the trajectories with weight = covered frames; that smaller, rectangular problem
 * is what is solved here (the tests check it against the full graph).
 */
public final class IdentityAccumulator {
    private final Map<Integer, Integer> gtBoxes = new HashMap<>();
    private final Map<Integer, Integer> hypBoxes = new HashMap<>();
    private final Map<Long, Integer> covered = new HashMap<>();

    /**
     * One frame.
     *
     * @param distances gtIds.length × hypIds.length; non-finite = not pairable
     */
    public void update(int[] gtIds, int[] hypIds, double[][] distances) {
        FrameCheck.check(gtIds, hypIds, distances);
        for (int o : gtIds) {
            gtBoxes.merge(o, 1, Integer::sum);
        }
        for (int h : hypIds) {
            hypBoxes.merge(h, 1, Integer::sum);
        }
        for (int i = 0; i < gtIds.length; i++) {
            for (int j = 0; j < hypIds.length; j++) {
                if (FrameCheck.pairable(distances[i][j])) {
                    covered.merge(key(gtIds[i], hypIds[j]), 1, Integer::sum);
                }
            }
        }
    }

    private static long key(int gt, int hyp) {
        return ((long) gt << 32) | (hyp & 0xffffffffL);
    }

    public IdentityCounts counts() {
        int totalGt = gtBoxes.values().stream().mapToInt(Integer::intValue).sum();
        int totalHyp = hypBoxes.values().stream().mapToInt(Integer::intValue).sum();
        // trajectories that never cover anything add no weight: leave them out of the matching
        TreeSet<Integer> gtSet = new TreeSet<>();
        TreeSet<Integer> hypSet = new TreeSet<>();
        for (long k : covered.keySet()) {
            gtSet.add((int) (k >> 32));
            hypSet.add((int) k);
        }
        List<Integer> gts = new ArrayList<>(gtSet);
        List<Integer> hyps = new ArrayList<>(hypSet);
        int idtp = 0;
        if (!covered.isEmpty()) {
            Map<Integer, Integer> hypIndex = new HashMap<>();
            for (int c = 0; c < hyps.size(); c++) {
                hypIndex.put(hyps.get(c), c);
            }
            double[][] cost = new double[gts.size()][hyps.size()];
            for (int r = 0; r < gts.size(); r++) {
                int o = gts.get(r);
                for (int c = 0; c < hyps.size(); c++) {
                    cost[r][c] = -covered.getOrDefault(key(o, hyps.get(c)), 0);
                }
            }
            int[] assigned = LinearAssignment.solve(cost);
            for (int r = 0; r < assigned.length; r++) {
                if (assigned[r] >= 0) {
                    idtp += (int) -cost[r][assigned[r]];
                }
            }
        }
        return new IdentityCounts(idtp, totalHyp - idtp, totalGt - idtp);
    }
}
