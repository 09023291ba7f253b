package org.peopleseg.core.eval.mot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.peopleseg.core.match.LinearAssignment;

/**
 * The reduced identity matching (maximum covered boxes) against the paper's full bipartite graph with "false"
 * nodes, built the way py-motmetrics' {@code id_global_assignment} builds it.
 */
class IdentityAccumulatorTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void sameOptimumAsTheGraphWithFalseNodes() {
        Random random = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            IdentityAccumulator acc = new IdentityAccumulator();
            Map<Integer, Integer> oc = new HashMap<>();
            Map<Integer, Integer> hc = new HashMap<>();
            Map<List<Integer>, Integer> tp = new HashMap<>();
            int frames = 1 + random.nextInt(8);
            for (int f = 0; f < frames; f++) {
                int[] gts = pick(random, 6);
                int[] hyps = pick(random, 7);
                double[][] d = new double[gts.length][hyps.length];
                for (int i = 0; i < gts.length; i++) {
                    for (int j = 0; j < hyps.length; j++) {
                        d[i][j] = random.nextDouble() < 0.35 ? random.nextDouble() : Double.NaN;
                        if (!Double.isNaN(d[i][j])) {
                            tp.merge(List.of(gts[i], hyps[j]), 1, Integer::sum);
                        }
                    }
                }
                for (int o : gts) {
                    oc.merge(o, 1, Integer::sum);
                }
                for (int h : hyps) {
                    hc.merge(h, 1, Integer::sum);
                }
                acc.update(gts, hyps, d);
            }
            IdentityCounts got = acc.counts();
            int sumO = oc.values().stream().mapToInt(Integer::intValue).sum();
            int sumH = hc.values().stream().mapToInt(Integer::intValue).sum();
            assertEquals(sumO, got.idtp() + got.idfn());
            assertEquals(sumH, got.idtp() + got.idfp());
            assertEquals(fullGraphCost(oc, hc, tp), got.idfn() + got.idfp(), 1e-9, "trial " + trial);
        }
    }

    /** A random subset of ids 1..n (possibly empty), each present at most once. */
    private static int[] pick(Random random, int n) {
        List<Integer> ids = new ArrayList<>();
        for (int id = 1; id <= n; id++) {
            if (random.nextBoolean()) {
                ids.add(id);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Rows: ground-truth trajectories, then one false node per hypothesis; columns: hypotheses, then one false node
     * per ground truth. Real pair (o, h): IDFN (oc − tp) + IDFP (hc − tp); o with its own false node: oc; h with its
     * own false node: hc; false with false: 0; other combinations forbidden.
     */
    private static double fullGraphCost(Map<Integer, Integer> oc, Map<Integer, Integer> hc,
            Map<List<Integer>, Integer> tp) {
        List<Integer> os = new ArrayList<>(new TreeSet<>(oc.keySet()));
        List<Integer> hs = new ArrayList<>(new TreeSet<>(hc.keySet()));
        int no = os.size();
        int nh = hs.size();
        double[][] cost = new double[no + nh][nh + no];
        for (int r = 0; r < no + nh; r++) {
            for (int c = 0; c < nh + no; c++) {
                boolean realRow = r < no;
                boolean realCol = c < nh;
                if (realRow && realCol) {
                    int t = tp.getOrDefault(List.of(os.get(r), hs.get(c)), 0);
                    cost[r][c] = oc.get(os.get(r)) - t + hc.get(hs.get(c)) - t;
                } else if (realRow) {
                    cost[r][c] = c - nh == r ? oc.get(os.get(r)) : INF;
                } else if (realCol) {
                    cost[r][c] = r - no == c ? hc.get(hs.get(c)) : INF;
                } else {
                    cost[r][c] = 0;
                }
            }
        }
        int[] a = LinearAssignment.solve(cost);
        double total = 0;
        for (int r = 0; r < a.length; r++) {
            total += cost[r][a[r]];
        }
        return total;
    }
}
