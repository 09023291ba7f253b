package org.peopleseg.core.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;
import org.peopleseg.core.dataset.CocoImage;

/**
 * The outcome of {@link KpiMatcher}: every detection is a true positive, a false positive or ignored (inside a crowd
 * region), decided once. KPIs at any confidence threshold, the threshold sweep, the best-F1 operating point, per-image
 * counts and per-group KPIs are all read from it without matching again.
 */
public final class KpiMatching {
    /** What a detection turned out to be. */
    public enum Outcome { TRUE_POSITIVE, FALSE_POSITIVE, IGNORED }

    /** Group name of images that lack the grouping field. */
    public static final String MISSING_GROUP = "(missing)";

    /** Thresholds of {@link #sweep()}: 0.00, 0.01, ..., 1.00. */
    private static final int SWEEP_STEPS = 100;

    private final CocoDataset groundTruth;
    private final long[] imageIds;
    private final int[] objectsPerImage;
    private final List<CocoDetection> detections;
    /** Per detection: index into {@link #imageIds}, -1 when not evaluated (category absent from ground truth). */
    private final int[] detImage;
    private final Outcome[] outcome;
    private final long[] matchedGt;
    private final IouType iouType;
    private final double iou;

    private final long objects;
    /** Evaluated detections by descending score (ties in list order) and prefix counts over that order. */
    private final double[] scoresDesc;
    private final long[] cumTp;
    private final long[] cumFp;
    private final long[] cumIgnored;

    KpiMatching(CocoDataset groundTruth, long[] imageIds, int[] objectsPerImage, List<CocoDetection> detections,
            int[] detImage, Outcome[] outcome, long[] matchedGt, IouType iouType, double iou) {
        this.groundTruth = groundTruth;
        this.imageIds = imageIds;
        this.objectsPerImage = objectsPerImage;
        this.detections = detections;
        this.detImage = detImage;
        this.outcome = outcome;
        this.matchedGt = matchedGt;
        this.iouType = iouType;
        this.iou = iou;
        this.objects = Arrays.stream(objectsPerImage).asLongStream().sum();
        int evaluated = 0;
        for (int img : detImage) {
            if (img >= 0) {
                evaluated++;
            }
        }
        int[] idx = new int[evaluated];
        double[] scores = new double[evaluated];
        int p = 0;
        for (int d = 0; d < detImage.length; d++) {
            if (detImage[d] >= 0) {
                idx[p] = d;
                scores[p++] = detections.get(d).score();
            }
        }
        int[] order = Numpy.argsortDescendingStable(scores);
        scoresDesc = new double[evaluated];
        cumTp = new long[evaluated + 1];
        cumFp = new long[evaluated + 1];
        cumIgnored = new long[evaluated + 1];
        for (int i = 0; i < evaluated; i++) {
            int d = idx[order[i]];
            scoresDesc[i] = scores[order[i]];
            cumTp[i + 1] = cumTp[i] + (outcome[d] == Outcome.TRUE_POSITIVE ? 1 : 0);
            cumFp[i + 1] = cumFp[i] + (outcome[d] == Outcome.FALSE_POSITIVE ? 1 : 0);
            cumIgnored[i + 1] = cumIgnored[i] + (outcome[d] == Outcome.IGNORED ? 1 : 0);
        }
    }

    public IouType iouType() {
        return iouType;
    }

    /** The IoU a match must exceed. */
    public double iou() {
        return iou;
    }

    public int imageCount() {
        return imageIds.length;
    }

    /** Detections that were evaluated (on these images, of the ground truth's categories). */
    public int detectionCount() {
        return scoresDesc.length;
    }

    /** Ground-truth objects, crowd regions excluded: tp + fn at every threshold. */
    public long objectCount() {
        return objects;
    }

    /** What detection {@code index} (position in the list given to the matcher) was; empty when not evaluated. */
    public Optional<Outcome> outcome(int index) {
        return detImage[index] < 0 ? Optional.empty() : Optional.of(outcome[index]);
    }

    /** The annotation id a true positive matched. */
    public OptionalLong matchedGroundTruthId(int index) {
        return detImage[index] >= 0 && outcome[index] == Outcome.TRUE_POSITIVE ? OptionalLong.of(matchedGt[index])
                : OptionalLong.empty();
    }

    /** KPIs counting detections with {@code score >= threshold}. */
    public Kpi at(double threshold) {
        int n = keptAt(threshold);
        return Kpi.of(threshold, iou, cumTp[n], cumFp[n], objects - cumTp[n], cumIgnored[n]);
    }

    /** Number of detections with score >= threshold: a prefix of the descending order. */
    private int keptAt(double threshold) {
        int lo = 0, hi = scoresDesc.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (scoresDesc[mid] >= threshold) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** KPIs at thresholds 0.00, 0.01, ..., 1.00 (101 points, {@code i / 100.0}): for threshold charts. */
    public List<Kpi> sweep() {
        double[] t = new double[SWEEP_STEPS + 1];
        for (int i = 0; i <= SWEEP_STEPS; i++) {
            t[i] = i / (double) SWEEP_STEPS;
        }
        return sweep(t);
    }

    public List<Kpi> sweep(double[] thresholds) {
        List<Kpi> out = new ArrayList<>(thresholds.length);
        for (double t : thresholds) {
            out.add(at(t));
        }
        return out;
    }

    /**
     * The operating point with the highest F1, searched exactly: every distinct detection score is tried as the
     * threshold (any other threshold keeps the same detections as the next score above it). Among equal F1 the
     * highest threshold wins (fewest detections). Empty when there are no detections.
     */
    public Optional<Kpi> bestF1() {
        if (scoresDesc.length == 0) {
            return Optional.empty();
        }
        int bestN = -1;
        double bestF1 = Double.NEGATIVE_INFINITY;
        for (int n = 1; n <= scoresDesc.length; n++) {
            if (n < scoresDesc.length && scoresDesc[n] == scoresDesc[n - 1]) {
                continue; // a threshold keeps all detections of equal score or none
            }
            long tp = cumTp[n];
            long den = 2 * tp + cumFp[n] + (objects - tp);
            double f1 = den == 0 ? Double.NaN : 2.0 * tp / den;
            if (f1 > bestF1) {
                bestF1 = f1;
                bestN = n;
            }
        }
        return Optional.of(at(bestN < 0 ? scoresDesc[0] : scoresDesc[bestN - 1]));
    }

    /** Counts per image at a threshold, in ascending image id order (images without anything included). */
    public List<ImageKpi> perImage(double threshold) {
        int[] tp = new int[imageIds.length];
        int[] fp = new int[imageIds.length];
        int[] ign = new int[imageIds.length];
        for (int d = 0; d < detImage.length; d++) {
            int i = detImage[d];
            if (i < 0 || !(detections.get(d).score() >= threshold)) {
                continue;
            }
            switch (outcome[d]) {
                case TRUE_POSITIVE -> tp[i]++;
                case FALSE_POSITIVE -> fp[i]++;
                case IGNORED -> ign[i]++;
            }
        }
        List<ImageKpi> out = new ArrayList<>(imageIds.length);
        for (int i = 0; i < imageIds.length; i++) {
            String name = groundTruth.image(imageIds[i]).map(CocoImage::fileName).orElse("");
            out.add(new ImageKpi(imageIds[i], name, objectsPerImage[i], tp[i], fp[i], objectsPerImage[i] - tp[i],
                    ign[i]));
        }
        return out;
    }

    /**
     * The matching split by an image field ({@link CocoImage#field(String)}, e.g. a camera-height tag), groups in
     * ascending name order; images without the field form {@link #MISSING_GROUP}. Each group's KPIs count only its
     * images' objects and detections.
     */
    public Map<String, KpiMatching> groupBy(String field) {
        Map<String, List<Integer>> members = new TreeMap<>();
        for (int i = 0; i < imageIds.length; i++) {
            String key = groundTruth.image(imageIds[i]).flatMap(im -> im.field(field)).orElse(MISSING_GROUP);
            members.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        Map<String, KpiMatching> out = new LinkedHashMap<>();
        members.forEach((key, imgs) -> out.put(key, subset(imgs)));
        return out;
    }

    private KpiMatching subset(List<Integer> images) {
        int[] newIndex = new int[imageIds.length];
        Arrays.fill(newIndex, -1);
        long[] ids = new long[images.size()];
        int[] objs = new int[images.size()];
        for (int j = 0; j < ids.length; j++) {
            int i = images.get(j);
            newIndex[i] = j;
            ids[j] = imageIds[i];
            objs[j] = objectsPerImage[i];
        }
        int[] dImg = new int[detImage.length];
        for (int d = 0; d < dImg.length; d++) {
            dImg[d] = detImage[d] < 0 ? -1 : newIndex[detImage[d]];
        }
        return new KpiMatching(groundTruth, ids, objs, detections, dImg, outcome, matchedGt, iouType, iou);
    }

    @Override
    public String toString() {
        return "KpiMatching[" + iouType.cocoName() + ", IoU > " + iou + ", " + imageIds.length + " images, "
                + objects + " objects, " + scoresDesc.length + " detections]";
    }
}
