package org.peopleseg.train.net.maskrcnn;

/**
 * torchvision's {@code RegionProposalNetwork.filter_proposals} for one image, on detached values: per level the
 * top {@code preNmsTopN} anchors by objectness logit, decoded, clipped to the image, boxes with a side below
 * {@code minSize} dropped, NMS within each level, then the best {@code postNmsTopN} over all levels by
 * probability. The result is ordered best first - the order RoI sampling by index sees.
 *
 * <p>TAO (like the TF reference it derives from) keeps {@code post_nms_topn} per level after NMS and then the best
 * {@code post_nms_topn} overall; the best K of the union of per-level top-K lists is the best K of the union of
 * all survivors, so the two rules select the same proposals.
 */
final class ProposalSelection {
    /** Selection settings: training or test values of the spec. */
    record Settings(int preNmsTopN, int postNmsTopN, double nmsThreshold, double minSize, double[] boxWeights) {}

    /** Proposals [P * 4], best first, and their probabilities. */
    record Proposals(float[] boxes, float[] scores, int count) {}

    private ProposalSelection() {}

    /**
     * @param logits objectness logits of this image's anchors (all levels)
     * @param deltas [A * 4]
     * @param anchors [A * 4]
     * @param perLevel anchors per level
     */
    static Proposals select(float[] logits, float[] deltas, float[] anchors, int[] perLevel, Settings s,
                            float imageHeight, float imageWidth) {
        int total = 0;
        for (int n : perLevel) {
            total += Math.min(s.preNmsTopN(), n);
        }
        float[] boxes = new float[total * 4];
        float[] scores = new float[total];
        int[] level = new int[total];
        int k = 0;
        int from = 0;
        for (int l = 0; l < perLevel.length; l++) {
            int n = perLevel[l];
            int[] top = TopK.descendingRange(logits, from, from + n, Math.min(s.preNmsTopN(), n));
            for (int idx : top) {
                BoxMath.decode(deltas, idx, anchors, idx, s.boxWeights(), boxes, k);
                scores[k] = sigmoid(logits[idx]);
                level[k] = l;
                k++;
            }
            from += n;
        }
        int kept = 0;
        int[] candidates = new int[total];
        float minSize = (float) s.minSize();
        for (int i = 0; i < total; i++) {
            BoxMath.clip(boxes, i, imageHeight, imageWidth);
            // torchvision also drops scores below rpn score_thresh, 0 in training: sigmoid never is
            if (BoxMath.bigEnough(boxes, i, minSize)) {
                candidates[kept++] = i;
            }
        }
        int[] keep = Nms.grouped(boxes, scores, level, java.util.Arrays.copyOf(candidates, kept),
                (float) s.nmsThreshold(), s.postNmsTopN());
        float[] outBoxes = new float[keep.length * 4];
        float[] outScores = new float[keep.length];
        for (int i = 0; i < keep.length; i++) {
            System.arraycopy(boxes, 4 * keep[i], outBoxes, 4 * i, 4);
            outScores[i] = scores[keep[i]];
        }
        return new Proposals(outBoxes, outScores, keep.length);
    }

    /** float32 sigmoid as torch computes it for a float logit. */
    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }
}
