package org.peopleseg.core.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.peopleseg.core.dataset.CocoAnnotation;
import org.peopleseg.core.dataset.CocoCategory;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;
import org.peopleseg.core.dataset.CocoImage;
import org.peopleseg.core.mask.Rle;

/**
 * Ground truth and detections arranged for matching, shared by {@link CocoEvaluator} and {@link KpiMatcher}:
 * images in ascending id order (pycocotools' {@code np.unique(imgIds)}), categories in ascending id order, and per
 * (image, category) cell the ground truths in file order and the detections in list order, with their geometry
 * converted once.
 *
 * <p>Masks are converted lazily, per object, the first time an IoU needs them: COCO evaluation never looks at
 * detections beyond maxDets per image, and box evaluation never needs masks at all. Each object belongs to exactly
 * one cell, so cells can be processed concurrently without locks.
 */
final class EvalInput {
    final CocoDataset groundTruth;
    final List<CocoDetection> detections;
    final IouType iouType;
    final long[] imageIds;
    final int[] categoryIds;
    private final int[][] gtOfCell;
    private final int[][] dtOfCell;
    private final List<CocoAnnotation> annotations;
    private final CocoImage[] gtImage;
    private final CocoImage[] dtImage;
    private final Rle[] gtRle;
    private final Rle[] dtRle;
    private final double[][] gtBox;
    private final double[][] dtBox;

    private EvalInput(CocoDataset groundTruth, List<CocoDetection> detections, IouType iouType) {
        this.groundTruth = groundTruth;
        this.detections = List.copyOf(detections);
        this.iouType = iouType;
        this.annotations = groundTruth.annotations();
        groundTruth.requireKnownImages(this.detections);
        imageIds = groundTruth.images().stream().mapToLong(CocoImage::id).sorted().toArray();
        categoryIds = groundTruth.categories().stream().mapToInt(CocoCategory::id).sorted().toArray();
        Map<Long, Integer> imageIndex = new HashMap<>();
        for (int i = 0; i < imageIds.length; i++) {
            imageIndex.put(imageIds[i], i);
        }
        Map<Integer, Integer> catIndex = new HashMap<>();
        for (int k = 0; k < categoryIds.length; k++) {
            catIndex.put(categoryIds[k], k);
        }
        int cells = imageIds.length * categoryIds.length;
        List<List<Integer>> gts = new ArrayList<>(cells);
        List<List<Integer>> dts = new ArrayList<>(cells);
        for (int c = 0; c < cells; c++) {
            gts.add(null);
            dts.add(null);
        }
        gtImage = new CocoImage[annotations.size()];
        for (int a = 0; a < annotations.size(); a++) {
            CocoAnnotation ann = annotations.get(a);
            int cell = imageIndex.get(ann.imageId()) * categoryIds.length + catIndex.get(ann.categoryId());
            add(gts, cell, a);
            gtImage[a] = groundTruth.image(ann.imageId()).orElseThrow();
        }
        dtImage = new CocoImage[this.detections.size()];
        for (int d = 0; d < this.detections.size(); d++) {
            CocoDetection det = this.detections.get(d);
            Integer k = catIndex.get(det.categoryId());
            if (k == null) {
                continue; // COCOeval only loads detections of the ground truth's categories
            }
            add(dts, imageIndex.get(det.imageId()) * categoryIds.length + k, d);
            dtImage[d] = groundTruth.image(det.imageId()).orElseThrow();
        }
        gtOfCell = toArrays(gts);
        dtOfCell = toArrays(dts);
        if (iouType == IouType.SEGM) {
            for (int a = 0; a < annotations.size(); a++) {
                if (!annotations.get(a).hasSegmentation()) {
                    throw new IllegalArgumentException("mask (segm) evaluation needs a segmentation for every ground "
                            + "truth object, but " + groundTruth.source() + " annotation id " + annotations.get(a).id()
                            + " has none (box-only ground truth: evaluate bbox only)");
                }
            }
            gtRle = new Rle[annotations.size()];
            dtRle = new Rle[this.detections.size()];
            gtBox = null;
            dtBox = null;
        } else {
            gtRle = null;
            dtRle = null;
            gtBox = new double[annotations.size()][];
            for (int a = 0; a < gtBox.length; a++) {
                gtBox[a] = annotations.get(a).bbox().toArray();
            }
            dtBox = new double[this.detections.size()][];
            for (int d = 0; d < dtBox.length; d++) {
                dtBox[d] = this.detections.get(d).bbox().toArray();
            }
        }
    }

    /**
     * @throws IllegalArgumentException when a detection refers to an image absent from the ground truth (the
     *                                  message names the ids), or for {@code segm} when a ground truth has no mask
     */
    static EvalInput prepare(CocoDataset groundTruth, List<CocoDetection> detections, IouType iouType) {
        return new EvalInput(groundTruth, detections, iouType);
    }

    private static void add(List<List<Integer>> lists, int cell, int index) {
        List<Integer> l = lists.get(cell);
        if (l == null) {
            l = new ArrayList<>(4);
            lists.set(cell, l);
        }
        l.add(index);
    }

    private static int[][] toArrays(List<List<Integer>> lists) {
        int[][] out = new int[lists.size()][];
        int[] empty = new int[0];
        for (int c = 0; c < out.length; c++) {
            List<Integer> l = lists.get(c);
            out[c] = l == null ? empty : l.stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    int imageCount() {
        return imageIds.length;
    }

    int categoryCount() {
        return categoryIds.length;
    }

    /** Ground-truth annotation indices of a cell, file order. Do not modify. */
    int[] groundTruths(int image, int category) {
        return gtOfCell[image * categoryIds.length + category];
    }

    /** Detection indices of a cell, list order. Do not modify. */
    int[] detectionsOf(int image, int category) {
        return dtOfCell[image * categoryIds.length + category];
    }

    CocoAnnotation annotation(int gt) {
        return annotations.get(gt);
    }

    CocoDetection detection(int dt) {
        return detections.get(dt);
    }

    /** The cell's detections by descending score, ties in list order, at most {@code cap} of them. */
    int[] detectionsByScore(int image, int category, int cap) {
        int[] dts = detectionsOf(image, category);
        double[] scores = new double[dts.length];
        for (int i = 0; i < dts.length; i++) {
            scores[i] = detections.get(dts[i]).score();
        }
        int[] order = Numpy.argsortDescendingStable(scores);
        int[] out = new int[Math.min(cap, dts.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = dts[order[i]];
        }
        return out;
    }

    /**
     * {@code ious[d][g]} between detections and ground truths as pycocotools' {@code maskUtils.iou} computes them:
     * crowd ground truths divide by the detection's area; masks of different sizes give -1.
     */
    double[][] ious(int[] dts, int[] gts) {
        double[][] out = new double[dts.length][gts.length];
        if (dts.length == 0 || gts.length == 0) {
            return out;
        }
        boolean[] crowd = new boolean[gts.length];
        for (int g = 0; g < gts.length; g++) {
            crowd[g] = annotations.get(gts[g]).crowd();
        }
        if (iouType == IouType.BBOX) {
            for (int d = 0; d < dts.length; d++) {
                double[] db = dtBox[dts[d]];
                for (int g = 0; g < gts.length; g++) {
                    out[d][g] = Rle.bboxIou(db, gtBox[gts[g]], crowd[g]);
                }
            }
        } else {
            Rle[] g = new Rle[gts.length];
            for (int j = 0; j < gts.length; j++) {
                g[j] = gtRle(gts[j]);
            }
            for (int d = 0; d < dts.length; d++) {
                Rle dr = dtRle(dts[d]);
                for (int j = 0; j < gts.length; j++) {
                    out[d][j] = Rle.iou(dr, g[j], crowd[j]);
                }
            }
        }
        return out;
    }

    private Rle gtRle(int a) {
        Rle r = gtRle[a];
        if (r == null) {
            CocoImage im = gtImage[a];
            r = annotations.get(a).segmentation().toRle(im.height(), im.width());
            gtRle[a] = r;
        }
        return r;
    }

    /** A detection's mask; box-only detections use their rasterised box, as pycocotools' loadRes does. */
    private Rle dtRle(int d) {
        Rle r = dtRle[d];
        if (r == null) {
            CocoDetection det = detections.get(d);
            CocoImage im = dtImage[d];
            r = det.hasSegmentation() ? det.segmentation().toRle(im.height(), im.width())
                    : Rle.fromPolygon(det.bbox().toPolygon(), im.height(), im.width());
            dtRle[d] = r;
        }
        return r;
    }

    @Override
    public String toString() {
        return "EvalInput[" + iouType + ", " + imageIds.length + " images, categories "
                + Arrays.toString(categoryIds) + ", " + annotations.size() + " gt, " + detections.size() + " dt]";
    }
}
