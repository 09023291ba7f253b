package org.peopleseg.train.net;

/**
 * The training-only half of a TAO {@code maskrcnn_config}: how anchors and proposals are matched to ground truth,
 * sampled, and weighted in the loss. Filled from the spec by the trainer's spec resolver; the network takes it as
 * explicit values so it can be built and tested without a spec file.
 *
 * @param rpnPositiveOverlap anchor IoU at or above which an anchor is foreground (TAO default 0.7)
 * @param rpnNegativeOverlap anchor IoU below which an anchor is background (0.3)
 * @param rpnBatchSizePerIm anchors sampled per image for the RPN loss (256)
 * @param rpnFgFraction fraction of those that may be foreground (0.5)
 * @param rpnMinSize proposals with a side smaller than this (input pixels) are dropped during training; at least
 *                   {@link #MIN_PROPOSAL_SIZE}
 * @param trainRpnPreNmsTopN proposals kept per level before NMS in training (2000)
 * @param trainRpnPostNmsTopN proposals kept after NMS in training (1000 per image)
 * @param trainRpnNmsThreshold NMS IoU for training proposals (0.7)
 * @param batchSizePerIm RoIs sampled per image for the box/mask heads (512)
 * @param fgFraction fraction of those that may be foreground (0.25)
 * @param fgThresh RoI IoU at or above which a RoI is foreground (0.5)
 * @param bgThreshHi RoI IoU below which a RoI may be background (0.5)
 * @param bgThreshLo RoI IoU at or above which a RoI may be background (0.0)
 * @param gtMaskSize side of the ground-truth mask crops (TAO 112)
 * @param rpnBoxLossWeight weight of the RPN box loss in the total (1.0)
 * @param fastRcnnBoxLossWeight weight of the box-head regression loss (1.0)
 * @param maskLossWeight weight of the mask loss (1.0)
 * @param sampling how the samplers pick among candidates (random in training; first-by-index in parity tests)
 * @param seed seed of the random samplers
 */
public record TrainingRules(
        double rpnPositiveOverlap, double rpnNegativeOverlap, int rpnBatchSizePerIm, double rpnFgFraction,
        double rpnMinSize, int trainRpnPreNmsTopN, int trainRpnPostNmsTopN, double trainRpnNmsThreshold,
        int batchSizePerIm, double fgFraction, double fgThresh, double bgThreshHi, double bgThreshLo,
        int gtMaskSize, double rpnBoxLossWeight, double fastRcnnBoxLossWeight, double maskLossWeight,
        Sampling sampling, long seed) {

    /**
     * The smallest {@code rpnMinSize} the network accepts: torchvision's RPN {@code min_size} (rpn.py sets 1e-3 and
     * filters with {@code remove_small_boxes}, both sides {@code >=}). A proposal clipped to the image border can
     * have no width; with a limit of 0 it passes, and its box target {@code log(gt_w / w)} divides by zero.
     */
    public static final double MIN_PROPOSAL_SIZE = 1e-3;

    /** How a sampler chooses k of n candidates. */
    public enum Sampling {
        /** uniformly at random (torchvision's BalancedPositiveNegativeSampler, TAO's random shuffle) */
        RANDOM,
        /** the first k candidates in index order: deterministic, for parity tests against a patched torchvision */
        FIRST_BY_INDEX
    }
}
