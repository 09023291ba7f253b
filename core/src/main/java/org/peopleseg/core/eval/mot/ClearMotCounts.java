package org.peopleseg.core.eval.mot;

/**
 * The CLEAR-MOT event counts of a sequence (see {@link ClearMotAccumulator}).
 *
 * @param frames           frames evaluated (present in the ground truth, the hypotheses, or both)
 * @param objects          ground-truth boxes (MOTA's denominator)
 * @param predictions      hypothesis boxes
 * @param matches          ground-truth boxes matched to a hypothesis, switches included (py-motmetrics calls this
 *                         {@code num_detections}; its {@code num_matches} excludes switches)
 * @param falsePositives   hypothesis boxes matched to nothing
 * @param misses           ground-truth boxes matched to nothing (false negatives)
 * @param switches         matches whose hypothesis id differs from the one the object was last matched to
 * @param fragmentations   interruptions of a ground-truth trajectory's tracked status that are later resumed
 * @param uniqueObjects    ground-truth trajectories (distinct ids)
 * @param distanceSum      sum of the matched pairs' distances (1 − IoU for boxes)
 */
public record ClearMotCounts(int frames, int objects, int predictions, int matches, int falsePositives, int misses,
        int switches, int fragmentations, int uniqueObjects, int mostlyTracked, int partiallyTracked,
        int mostlyLost, double distanceSum) {

    /** 1 − (misses + false positives + switches) / objects; NaN without ground truth. */
    public double mota() {
        return objects == 0 ? Double.NaN : 1.0 - (double) (misses + falsePositives + switches) / objects;
    }

    /** Mean distance of the matched pairs (py-motmetrics' {@code motp}); NaN without matches. */
    public double meanDistance() {
        return matches == 0 ? Double.NaN : distanceSum / matches;
    }

    /** Counts of two sequences together (as py-motmetrics' OVERALL row: events summed, ratios recomputed). */
    public ClearMotCounts plus(ClearMotCounts o) {
        return new ClearMotCounts(frames + o.frames, objects + o.objects, predictions + o.predictions,
                matches + o.matches, falsePositives + o.falsePositives, misses + o.misses, switches + o.switches,
                fragmentations + o.fragmentations, uniqueObjects + o.uniqueObjects, mostlyTracked + o.mostlyTracked,
                partiallyTracked + o.partiallyTracked, mostlyLost + o.mostlyLost, distanceSum + o.distanceSum);
    }
}
