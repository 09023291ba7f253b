package org.peopleseg.core.eval;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * COCOeval's parameters. {@link #defaults()} are pycocotools' defaults for {@code bbox} and {@code segm}, with the
 * exact doubles numpy produces ({@code iouThrs[8] == 0.8999999999999999}); the 12 summary stats are only defined for
 * them (or for changes that keep the labels "all/small/medium/large" and three maxDets).
 *
 * @param iouThresholds    T thresholds; a match needs IoU >= threshold
 * @param recallThresholds R recall points at which precision is sampled
 * @param maxDetections    M limits on detections per image, ascending; the last one also caps what is matched
 * @param areaRanges       A object-size buckets
 */
public record CocoEvalParams(double[] iouThresholds, double[] recallThresholds, int[] maxDetections,
        List<AreaRange> areaRanges) {

    public CocoEvalParams {
        iouThresholds = iouThresholds.clone();
        recallThresholds = recallThresholds.clone();
        maxDetections = maxDetections.clone();
        Arrays.sort(maxDetections); // pycocotools sorts them in evaluate()
        areaRanges = List.copyOf(areaRanges);
        if (iouThresholds.length == 0 || recallThresholds.length == 0 || areaRanges.isEmpty()) {
            throw new IllegalArgumentException("need at least one IoU threshold, recall threshold and area range");
        }
        if (maxDetections.length < 3 || maxDetections[0] <= 0) {
            throw new IllegalArgumentException("need three positive maxDets (the summary reads maxDets[0..2]), got "
                    + Arrays.toString(maxDetections));
        }
    }

    /** iouThrs = linspace(.5, .95, 10), recThrs = linspace(0, 1, 101), maxDets = [1, 10, 100], 4 area ranges. */
    public static CocoEvalParams defaults() {
        return new CocoEvalParams(Numpy.linspace(.5, 0.95, 10), Numpy.linspace(.0, 1.00, 101), new int[] {1, 10, 100},
                List.of(AreaRange.ALL, AreaRange.SMALL, AreaRange.MEDIUM, AreaRange.LARGE));
    }

    @Override
    public double[] iouThresholds() {
        return iouThresholds.clone();
    }

    @Override
    public double[] recallThresholds() {
        return recallThresholds.clone();
    }

    @Override
    public int[] maxDetections() {
        return maxDetections.clone();
    }

    /** The largest maxDets: detections per image beyond it are never looked at. */
    public int maxDetectionsCap() {
        return maxDetections[maxDetections.length - 1];
    }

    /** Indices of thresholds exactly equal to {@code iou} (pycocotools: {@code np.where(iouThr == p.iouThrs)}). */
    int[] iouIndicesEqualTo(double iou) {
        return IntStream.range(0, iouThresholds.length).filter(i -> iouThresholds[i] == iou)
                .toArray();
    }

    /** Index of the first area range with this label, or -1. */
    int areaIndex(String label) {
        for (int i = 0; i < areaRanges.size(); i++) {
            if (areaRanges.get(i).label().equals(label)) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first maxDets equal to {@code maxDet}, or -1. */
    int maxDetIndex(int maxDet) {
        for (int i = 0; i < maxDetections.length; i++) {
            if (maxDetections[i] == maxDet) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CocoEvalParams p && Arrays.equals(p.iouThresholds, iouThresholds)
                && Arrays.equals(p.recallThresholds, recallThresholds)
                && Arrays.equals(p.maxDetections, maxDetections) && p.areaRanges.equals(areaRanges);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(iouThresholds) + Arrays.hashCode(recallThresholds))
                + Arrays.hashCode(maxDetections)) + areaRanges.hashCode();
    }

    @Override
    public String toString() {
        return "CocoEvalParams[iouThrs=" + Arrays.toString(iouThresholds) + ", recThrs=" + recallThresholds.length
                + " points, maxDets=" + Arrays.toString(maxDetections) + ", areaRng=" + areaRanges + "]";
    }
}
