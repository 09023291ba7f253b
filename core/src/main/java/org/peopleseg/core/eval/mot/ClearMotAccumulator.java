package org.peopleseg.core.eval.mot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peopleseg.core.match.LinearAssignment;

/**
 * CLEAR-MOT events (Bernardin &amp; Stiefelhagen 2008), frame by frame, with the conventions of py-motmetrics'
 * {@code MOTAccumulator} and the MOTChallenge devkit, so that numbers compare with published ones.
 *
 * <p>Each frame: correspondences of the previous update that are still pairable are kept first (a tracker is not
 * punished because another hypothesis came slightly closer); the remaining objects and hypotheses are matched by a
 * minimum-total-distance assignment over pairable pairs ({@link LinearAssignment}: as many pairs as possible, then
 * least distance). A match is an ID switch when the object was last matched — in any earlier frame, not only the
 * previous one — to another hypothesis id. Unmatched objects are misses, unmatched hypotheses false positives.
 *
 * <p>Per ground-truth trajectory, over the frames where it is present: tracked ratio = matched frames / present
 * frames, mostly tracked at ≥ 0.8, mostly lost below 0.2, partially tracked between (py-motmetrics; the devkit
 * counts exactly 0.8 as partially tracked). A fragmentation is a change from tracked to not tracked that is later
 * resumed, counted over the frames where the object is present (py-motmetrics; the devkit also counts frames in
 * which the object is absent from the ground truth as not tracked).
 *
 * <p>The distance is generic (1 − IoU for boxes); a non-finite distance (NaN or ±∞) marks a pair that may not be
 * matched. The caller feeds every frame in order; py-motmetrics feeds the frames present in either file, and so
 * does {@link TrackingEvaluator}.
 */
public final class ClearMotAccumulator {
    /** Per ground-truth trajectory. */
    private static final class Trajectory {
        int present;
        int tracked;
        boolean lastTracked;
        boolean interrupted;
        int fragmentations;
    }

    private final Map<Integer, Integer> lastMatch = new HashMap<>();
    private Map<Integer, Integer> previousUpdate = Map.of();
    private final Map<Integer, Trajectory> trajectories = new LinkedHashMap<>();
    private int frames;
    private int objects;
    private int predictions;
    private int matches;
    private int falsePositives;
    private int misses;
    private int switches;
    private double distanceSum;

    /**
     * One frame.
     *
     * @param distances gtIds.length × hypIds.length; non-finite = not pairable
     * @throws IllegalArgumentException for mismatched sizes or an id twice in the frame
     */
    public void update(int[] gtIds, int[] hypIds, double[][] distances) {
        FrameCheck.check(gtIds, hypIds, distances);
        frames++;
        objects += gtIds.length;
        predictions += hypIds.length;
        int[] hypOfGt = new int[gtIds.length];
        Arrays.fill(hypOfGt, -1);
        boolean[] hypUsed = new boolean[hypIds.length];
        Map<Integer, Integer> hypIndex = new HashMap<>();
        for (int j = 0; j < hypIds.length; j++) {
            hypIndex.put(hypIds[j], j);
        }
        Map<Integer, Integer> current = new HashMap<>();

        // 1. keep the previous update's correspondences that are still pairable
        for (int i = 0; i < gtIds.length; i++) {
            Integer h = previousUpdate.get(gtIds[i]);
            Integer j = h == null ? null : hypIndex.get(h);
            if (j != null && !hypUsed[j] && FrameCheck.pairable(distances[i][j])) {
                hypOfGt[i] = j;
                hypUsed[j] = true;
                record(gtIds[i], hypIds[j], distances[i][j], current);
            }
        }
        // 2. optimal assignment of the rest
        List<Integer> rows = new ArrayList<>();
        List<Integer> cols = new ArrayList<>();
        for (int i = 0; i < gtIds.length; i++) {
            if (hypOfGt[i] < 0) {
                rows.add(i);
            }
        }
        for (int j = 0; j < hypIds.length; j++) {
            if (!hypUsed[j]) {
                cols.add(j);
            }
        }
        if (!rows.isEmpty() && !cols.isEmpty()) {
            double[][] cost = new double[rows.size()][cols.size()];
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < cols.size(); c++) {
                    double d = distances[rows.get(r)][cols.get(c)];
                    cost[r][c] = FrameCheck.pairable(d) ? d : Double.POSITIVE_INFINITY;
                }
            }
            int[] assigned = LinearAssignment.solve(cost);
            for (int r = 0; r < assigned.length; r++) {
                if (assigned[r] >= 0) {
                    int i = rows.get(r);
                    int j = cols.get(assigned[r]);
                    hypOfGt[i] = j;
                    hypUsed[j] = true;
                    Integer last = lastMatch.get(gtIds[i]);
                    if (last != null && last != hypIds[j]) {
                        switches++;
                    }
                    record(gtIds[i], hypIds[j], distances[i][j], current);
                }
            }
        }
        // 3. misses, false positives, trajectory states
        for (int i = 0; i < gtIds.length; i++) {
            Trajectory t = trajectories.computeIfAbsent(gtIds[i], k -> new Trajectory());
            t.present++;
            if (hypOfGt[i] >= 0) {
                t.tracked++;
                if (t.interrupted) {
                    t.fragmentations++;
                    t.interrupted = false;
                }
                t.lastTracked = true;
            } else {
                misses++;
                if (t.lastTracked) {
                    t.interrupted = true;
                }
                t.lastTracked = false;
            }
        }
        for (boolean used : hypUsed) {
            if (!used) {
                falsePositives++;
            }
        }
        previousUpdate = current;
    }

    private void record(int gt, int hyp, double distance, Map<Integer, Integer> current) {
        matches++;
        distanceSum += distance;
        lastMatch.put(gt, hyp);
        current.put(gt, hyp);
    }

    public ClearMotCounts counts() {
        int mt = 0;
        int pt = 0;
        int ml = 0;
        int fragmentations = 0;
        for (Trajectory t : trajectories.values()) {
            double ratio = (double) t.tracked / t.present;
            if (ratio >= 0.8) {
                mt++;
            } else if (ratio < 0.2) {
                ml++;
            } else {
                pt++;
            }
            fragmentations += t.fragmentations;
        }
        return new ClearMotCounts(frames, objects, predictions, matches, falsePositives, misses, switches,
                fragmentations, trajectories.size(), mt, pt, ml, distanceSum);
    }
}
