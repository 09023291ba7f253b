package org.peopleseg.models.yolo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.mask.BitMask;

/**
 * YOLO-seg post-processing as plain functions (Ultralytics' {@code non_max_suppression} and {@code process_mask}
 * semantics, single-label): pick each anchor's best class, keep scores above the threshold, class-aware NMS, and
 * masks from prototypes x coefficients cropped to the box.
 */
public final class YoloSegDecoder {
    /** Ultralytics' default IoU threshold for NMS. */
    public static final float NMS_IOU = 0.7f;
    /** Ultralytics' default maximum number of detections per image. */
    public static final int MAX_DETECTIONS = 300;
    /** Ultralytics' cap on boxes entering NMS. */
    static final int MAX_NMS = 30000;

    private YoloSegDecoder() {}

    /** One detection in network-input pixels (corners), with the anchor it came from. */
    public record Candidate(float x1, float y1, float x2, float y2, float score, int cls, int anchor) {
        float area() {
            return Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
        }
    }

    /**
     * Candidates from the raw output, best class per anchor, score above {@code threshold}, highest first.
     *
     * @param det        [4 + classes + coefficients, n] row-major: cx, cy, w, h normalised by the input size
     * @param numClasses classes in the rows after the box
     */
    public static List<Candidate> decode(float[] det, int n, int numClasses, int inputWidth, int inputHeight,
                                         float threshold) {
        List<Candidate> out = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            int best = -1;
            float bestScore = -Float.MAX_VALUE;
            for (int c = 0; c < numClasses; c++) {
                float s = det[(4 + c) * n + a];
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            if (!(bestScore > threshold)) {
                continue;
            }
            float cx = det[a] * inputWidth, cy = det[n + a] * inputHeight;
            float w = det[2 * n + a] * inputWidth, h = det[3 * n + a] * inputHeight;
            out.add(new Candidate(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, bestScore, best, a));
        }
        out.sort(Comparator.comparingDouble(Candidate::score).reversed());
        return out.size() > MAX_NMS ? new ArrayList<>(out.subList(0, MAX_NMS)) : out;
    }

    /** Greedy class-aware NMS over candidates sorted by descending score; at most {@code maxDetections}. */
    public static List<Candidate> nms(List<Candidate> sorted, float iouThreshold, int maxDetections) {
        List<Candidate> kept = new ArrayList<>();
        boolean[] removed = new boolean[sorted.size()];
        for (int i = 0; i < sorted.size() && kept.size() < maxDetections; i++) {
            if (removed[i]) {
                continue;
            }
            Candidate a = sorted.get(i);
            kept.add(a);
            for (int j = i + 1; j < sorted.size(); j++) {
                if (!removed[j] && sorted.get(j).cls() == a.cls() && iou(a, sorted.get(j)) > iouThreshold) {
                    removed[j] = true;
                }
            }
        }
        return kept;
    }

    static float iou(Candidate a, Candidate b) {
        float iw = Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1());
        float ih = Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1());
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        float inter = iw * ih;
        return inter / (a.area() + b.area() - inter);
    }

    /**
     * The full-resolution mask of one detection: the mask logit {@code coefficients . protos} is sampled
     * bilinearly (align_corners=False) at each image pixel's centre mapped into prototype space, and a pixel is on
     * when the logit is above 0 (sigmoid above 0.5) and its centre lies inside the box — Ultralytics'
     * crop-then-upsample-then-threshold in one resampling, straight to the original image.
     *
     * @param protos      [hp, wp, m] row-major (NHWC without the batch)
     * @param box         the detection in original-image pixels
     * @param netPerImage network-input pixels per original pixel (the letterbox scale), x and y
     * @param protoStride network-input pixels per prototype cell, x and y
     */
    public static BitMask mask(float[] protos, int hp, int wp, int m, float[] coefficients, Box box,
                               double netPerImageX, double netPerImageY, double protoStrideX, double protoStrideY,
                               int imageWidth, int imageHeight) {
        byte[] px = new byte[imageWidth * imageHeight];
        int x0 = (int) Math.max(0, Math.floor(box.x1())), x1 = (int) Math.min(imageWidth, Math.ceil(box.x2()));
        int y0 = (int) Math.max(0, Math.floor(box.y1())), y1 = (int) Math.min(imageHeight, Math.ceil(box.y2()));
        if (x1 <= x0 || y1 <= y0) {
            return new BitMask(imageWidth, imageHeight, px);
        }
        // prototype cells the box touches (plus one for the bilinear neighbours)
        double fx = netPerImageX / protoStrideX, fy = netPerImageY / protoStrideY;
        int c0 = clampInt((int) Math.floor((x0 + 0.5) * fx - 0.5), 0, wp - 1);
        int c1 = clampInt((int) Math.floor((x1 - 0.5) * fx - 0.5) + 1, 0, wp - 1);
        int r0 = clampInt((int) Math.floor((y0 + 0.5) * fy - 0.5), 0, hp - 1);
        int r1 = clampInt((int) Math.floor((y1 - 0.5) * fy - 0.5) + 1, 0, hp - 1);
        int cw = c1 - c0 + 1;
        float[] logits = new float[(r1 - r0 + 1) * cw];
        for (int r = r0; r <= r1; r++) {
            for (int c = c0; c <= c1; c++) {
                int base = (r * wp + c) * m;
                float s = 0;
                for (int k = 0; k < m; k++) {
                    s += protos[base + k] * coefficients[k];
                }
                logits[(r - r0) * cw + (c - c0)] = s;
            }
        }
        int cols = x1 - x0;
        int[] ci0 = new int[cols], ci1 = new int[cols];
        float[] cl = new float[cols];
        for (int i = 0; i < cols; i++) {
            double src = Math.max(0, (x0 + i + 0.5) * fx - 0.5);
            int a = Math.min((int) src, wp - 1);
            ci0[i] = a - c0;
            ci1[i] = Math.min(a + 1, wp - 1) - c0;
            cl[i] = (float) (src - (int) src);
            if (a == wp - 1) {
                cl[i] = 0;
            }
        }
        for (int y = y0; y < y1; y++) {
            double cyPix = y + 0.5;
            if (cyPix < box.y1() || cyPix > box.y2()) {
                continue;
            }
            double src = Math.max(0, cyPix * fy - 0.5);
            int a = Math.min((int) src, hp - 1);
            int ra = (a - r0) * cw, rb = (Math.min(a + 1, hp - 1) - r0) * cw;
            float ly = a == hp - 1 ? 0 : (float) (src - (int) src);
            for (int i = 0; i < cols; i++) {
                double cxPix = x0 + i + 0.5;
                if (cxPix < box.x1() || cxPix > box.x2()) {
                    continue;
                }
                float top = logits[ra + ci0[i]] * (1 - cl[i]) + logits[ra + ci1[i]] * cl[i];
                float bottom = logits[rb + ci0[i]] * (1 - cl[i]) + logits[rb + ci1[i]] * cl[i];
                if (top * (1 - ly) + bottom * ly > 0) {
                    px[y * imageWidth + x0 + i] = 1;
                }
            }
        }
        return new BitMask(imageWidth, imageHeight, px);
    }

    private static int clampInt(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
