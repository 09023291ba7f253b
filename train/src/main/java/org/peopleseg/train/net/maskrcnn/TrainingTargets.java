package org.peopleseg.train.net.maskrcnn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.train.net.ImageTargets;
import org.peopleseg.train.net.TrainingRules;

/**
 * Matching and sampling of one image (torchvision's {@code RegionProposalNetwork.assign_targets_to_anchors} +
 * {@code fg_bg_sampler}, and {@code RoIHeads.select_training_samples}), on detached values.
 *
 * <p>Where TAO differs (its TF reference, nvidia_tao_tf1 mask_rcnn {@code ops/training_ops.py}): TAO's anchor
 * labeller forces each ground truth's single best anchor to that ground truth, torchvision keeps, for every anchor
 * that is some ground truth's best (ties included), the anchor's own best ground truth - the same anchors become
 * positive except on ties; torchvision's rule is implemented. TAO's RoI background band [bg_thresh_lo,
 * bg_thresh_hi) is honoured ({@link Matcher}); torchvision's is [0, bg_iou_thresh).
 */
final class TrainingTargets {
    /** The RPN's sampled anchors of one image: indices, 0/1 labels, and for the positives their box targets. */
    record AnchorSample(int[] indices, float[] labels, int[] positives, float[] positiveTargets) {}

    /**
     * The sampled RoIs of one image, in index order (proposals first, then the ground truth boxes added to them).
     *
     * @param labels class per RoI, 0 = background
     * @param matched matched ground truth per RoI (meaningful for positives)
     * @param targets box regression targets [R * 4] against the matched ground truth
     */
    record RoiSample(float[] rois, int[] labels, int[] matched, float[] targets) {
        int size() {
            return labels.length;
        }
    }

    private final MaskRcnnConfig config;
    private final TrainingRules rules;

    TrainingTargets(MaskRcnnConfig config, TrainingRules rules) {
        this.config = config;
        this.rules = rules;
    }

    AnchorSample anchors(float[] anchors, ImageTargets gt, SplittableRandom random) {
        int a = anchors.length / 4;
        int[] labels = new int[a];
        int[] matched = null;
        float[] gtBoxes = boxes(gt);
        if (gt.size() > 0) {
            float[][] iou = BoxMath.iou(gtBoxes, gt.size(), anchors, a);
            matched = Matcher.match(iou, a, rules.rpnPositiveOverlap(), rules.rpnNegativeOverlap(), 0, true);
            for (int j = 0; j < a; j++) {
                labels[j] = matched[j] >= 0 ? 1 : matched[j] == Matcher.BELOW_LOW ? 0 : -1;
            }
        }
        boolean[] take = BalancedSampler.sample(labels, rules.rpnBatchSizePerIm(), rules.rpnFgFraction(),
                rules.sampling(), random);
        List<Integer> idx = new ArrayList<>();
        List<Integer> pos = new ArrayList<>();
        for (int j = 0; j < a; j++) {
            if (take[j]) {
                idx.add(j);
                if (labels[j] == 1) {
                    pos.add(j);
                }
            }
        }
        float[] lab = new float[idx.size()];
        for (int i = 0; i < lab.length; i++) {
            lab[i] = labels[idx.get(i)];
        }
        float[] targets = new float[pos.size() * 4];
        for (int i = 0; i < pos.size(); i++) {
            int j = pos.get(i);
            BoxMath.encode(gtBoxes, matched[j], anchors, j, config.rpn().boxWeights(), targets, i);
        }
        return new AnchorSample(idx.stream().mapToInt(Integer::intValue).toArray(), lab,
                pos.stream().mapToInt(Integer::intValue).toArray(), targets);
    }

    RoiSample rois(ProposalSelection.Proposals proposals, ImageTargets gt, SplittableRandom random) {
        int g = gt.size();
        int n = proposals.count() + g;
        float[] all = new float[n * 4];
        System.arraycopy(proposals.boxes(), 0, all, 0, proposals.count() * 4);
        float[] gtBoxes = boxes(gt);
        System.arraycopy(gtBoxes, 0, all, proposals.count() * 4, g * 4);
        int[] labels = new int[n];
        int[] matched = new int[n];
        if (g > 0) {
            float[][] iou = BoxMath.iou(gtBoxes, g, all, n);
            int[] m = Matcher.match(iou, n, rules.fgThresh(), rules.bgThreshHi(), rules.bgThreshLo(), false);
            for (int j = 0; j < n; j++) {
                matched[j] = Math.max(m[j], 0);
                labels[j] = m[j] >= 0 ? gt.labels()[m[j]] : m[j] == Matcher.BELOW_LOW ? 0 : -1;
            }
        }
        boolean[] take = BalancedSampler.sample(labels, rules.batchSizePerIm(), rules.fgFraction(), rules.sampling(),
                random);
        int count = 0;
        for (boolean t : take) {
            count += t ? 1 : 0;
        }
        float[] rois = new float[count * 4];
        int[] outLabels = new int[count];
        int[] outMatched = new int[count];
        float[] targets = new float[count * 4];
        int k = 0;
        for (int j = 0; j < n; j++) {
            if (!take[j]) {
                continue;
            }
            System.arraycopy(all, 4 * j, rois, 4 * k, 4);
            outLabels[k] = labels[j];
            outMatched[k] = matched[j];
            if (labels[j] > 0) {
                BoxMath.encode(gtBoxes, matched[j], all, j, config.boxHead().boxWeights(), targets, k);
            }
            k++;
        }
        return new RoiSample(rois, outLabels, outMatched, targets);
    }

    static float[] boxes(ImageTargets gt) {
        float[] b = new float[gt.size() * 4];
        for (int i = 0; i < gt.size(); i++) {
            System.arraycopy(gt.boxesXyxy().get(i), 0, b, 4 * i, 4);
        }
        return b;
    }
}
