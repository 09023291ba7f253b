package org.peopleseg.core.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;

/**
 * COCOeval's {@code evaluate} stage for a set of images: the per-image matching ({@link ImageEvaluation} per image,
 * category and area range), kept apart from {@code accumulate} so that the matching can run where the images are
 * (e.g. on Spark executors, each on a part of the images) and the accumulation once, over every part.
 *
 * <p>Matching never looks across images, so evaluating parts and merging them ({@link #merge}) gives exactly what
 * evaluating the union gives; {@link #accumulate} orders images by ascending id, as pycocotools does, so the numbers
 * do not depend on how the images were split. {@link CocoEvaluator} is this class on a single part.
 */
public final class ImageEvaluations implements Serializable {
    private static final long serialVersionUID = 1L;

    final IouType iouType;
    final int[] categoryIds;
    final int areaCount;
    /** Ascending. */
    final long[] imageIds;
    /** {@code evals[k * areaCount + a][i]}, null where image i has neither ground truth nor detections of k. */
    final ImageEvaluation[][] evals;
    final int detectionCount;

    ImageEvaluations(IouType iouType, int[] categoryIds, int areaCount, long[] imageIds, ImageEvaluation[][] evals,
            int detectionCount) {
        this.iouType = iouType;
        this.categoryIds = categoryIds;
        this.areaCount = areaCount;
        this.imageIds = imageIds;
        this.evals = evals;
        this.detectionCount = detectionCount;
    }

    /**
     * Matches the detections of the ground truth's images (a part of a larger ground truth: its images, their
     * annotations and every category).
     *
     * @param detections in results-file order: it decides the order of equal scores within an image
     */
    public static ImageEvaluations evaluate(CocoDataset groundTruth, List<CocoDetection> detections, IouType iouType,
            CocoEvalParams params) {
        return of(EvalInput.prepare(groundTruth, detections, iouType), params);
    }

    static ImageEvaluations of(EvalInput in, CocoEvalParams params) {
        return new ImageEvaluations(in.iouType, in.categoryIds, params.areaRanges().size(), in.imageIds,
                CocoEvaluator.evaluateImages(in, params), in.detections.size());
    }

    /**
     * The parts as one, images in ascending id order.
     *
     * @throws IllegalArgumentException when the parts disagree on type, categories or area ranges, or share an image
     */
    public static ImageEvaluations merge(List<ImageEvaluations> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no evaluations to merge");
        }
        ImageEvaluations first = parts.get(0);
        int images = 0;
        int detections = 0;
        for (ImageEvaluations p : parts) {
            if (p.iouType != first.iouType || !Arrays.equals(p.categoryIds, first.categoryIds)
                    || p.areaCount != first.areaCount) {
                throw new IllegalArgumentException("evaluations of different kinds cannot be merged: " + p.iouType
                        + " " + Arrays.toString(p.categoryIds) + " vs " + first.iouType + " "
                        + Arrays.toString(first.categoryIds));
            }
            images += p.imageIds.length;
            detections += p.detectionCount;
        }
        // (part, index) of every image, by image id
        List<int[]> refs = new ArrayList<>(images);
        for (int p = 0; p < parts.size(); p++) {
            for (int i = 0; i < parts.get(p).imageIds.length; i++) {
                refs.add(new int[] {p, i});
            }
        }
        refs.sort(Comparator.comparingLong(r -> parts.get(r[0]).imageIds[r[1]]));
        long[] ids = new long[images];
        ImageEvaluation[][] evals = new ImageEvaluation[first.evals.length][images];
        for (int n = 0; n < images; n++) {
            int[] r = refs.get(n);
            ImageEvaluations part = parts.get(r[0]);
            ids[n] = part.imageIds[r[1]];
            if (n > 0 && ids[n] == ids[n - 1]) {
                throw new IllegalArgumentException("image id " + ids[n] + " is in two evaluated parts");
            }
            for (int c = 0; c < evals.length; c++) {
                evals[c][n] = part.evals[c][r[1]];
            }
        }
        return new ImageEvaluations(first.iouType, first.categoryIds, first.areaCount, ids, evals, detections);
    }

    /** COCOeval's {@code accumulate} and {@code summarize}: the 12 stats and the precision/recall arrays. */
    public CocoEvalResult accumulate(CocoEvalParams params) {
        if (params.areaRanges().size() != areaCount) {
            throw new IllegalArgumentException("evaluated with " + areaCount + " area ranges, accumulated with "
                    + params.areaRanges().size());
        }
        return CocoEvaluator.accumulate(this, params);
    }

    /** Images evaluated. */
    public int imageCount() {
        return imageIds.length;
    }

    public IouType iouType() {
        return iouType;
    }
}
