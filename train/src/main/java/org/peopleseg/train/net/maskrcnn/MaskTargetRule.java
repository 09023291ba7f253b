package org.peopleseg.train.net.maskrcnn;

/**
 * How the 28x28 (mrcnn_resolution) mask targets of the positive RoIs are made from the ground-truth masks.
 */
public enum MaskTargetRule {
    /**
     * torchvision's {@code project_masks_on_boxes}: {@code roi_align} (adaptive sampling, aligned=False) of the
     * full-resolution GT mask over the RoI, soft (fractional) targets. The rule proven by the loss-parity test.
     */
    TORCHVISION,
    /**
     * TAO's: the GT mask is first cropped to its box and resized to {@code gt_mask_size} squared (bilinear,
     * TF {@code crop_and_resize}) and padded by 2, the RoI is projected into that crop's coordinates and sampled
     * once per output bin (bilinear), and the targets are binarised at 0.5 (nvidia_tao_tf1 mask_rcnn
     * {@code ops/preprocess_ops.crop_gt_masks} and {@code ops/training_ops.get_mask_targets}). Tested on its own.
     */
    TAO_GT_CROP
}
