package org.peopleseg.train.net;

import ai.djl.ndarray.NDArray;

/**
 * The five Mask R-CNN losses of one step, each a scalar with gradients, named as torchvision returns them
 * (loss_objectness, loss_rpn_box_reg, loss_classifier, loss_box_reg, loss_mask), unweighted. {@code total} is the
 * weighted sum the optimiser minimises (TAO's rpn_box_loss_weight, fast_rcnn_box_loss_weight,
 * mrcnn_weight_loss_mask).
 */
public record LossTerms(NDArray rpnObjectness, NDArray rpnBox, NDArray classifier, NDArray box, NDArray mask,
        NDArray total) {}
