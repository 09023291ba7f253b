package org.peopleseg.train.net.maskrcnn;

import ai.djl.ndarray.NDArray;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;

/**
 * The box and mask branches on pooled RoI features (torchvision's TwoMLPHead + FastRCNNPredictor and
 * MaskRCNNHeads + MaskRCNNPredictor), the same layers the ONNX builder's BoxHead and MaskHead emit.
 */
final class RoiHeads {
    /** class logits [R, K] and class-specific box deltas [R, K * 4]. */
    record BoxOutput(NDArray logits, NDArray deltas) {}

    private final NetParameters p;

    RoiHeads(NetParameters p) {
        this.p = p;
    }

    /** @param pooled [R, C, S, S] */
    BoxOutput box(NDArray pooled) {
        NDArray x = pooled.reshape(pooled.getShape().get(0), -1);
        x = Layers.relu(Layers.linear(x, p.get("roi_heads.box_head.fc6.weight"), p.get("roi_heads.box_head.fc6.bias")));
        x = Layers.relu(Layers.linear(x, p.get("roi_heads.box_head.fc7.weight"), p.get("roi_heads.box_head.fc7.bias")));
        NDArray logits = Layers.linear(x, p.get("roi_heads.box_predictor.cls_score.weight"),
                p.get("roi_heads.box_predictor.cls_score.bias"));
        NDArray deltas = Layers.linear(x, p.get("roi_heads.box_predictor.bbox_pred.weight"),
                p.get("roi_heads.box_predictor.bbox_pred.bias"));
        return new BoxOutput(logits, deltas);
    }

    /** @param pooled [P, C, S, S]; returns per-class mask logits [P, K, 2S, 2S] */
    NDArray mask(NDArray pooled) {
        MaskRcnnConfig.MaskHead mh = p.config().maskHead();
        NDArray x = pooled;
        for (int i = 0; i < mh.convs(); i++) {
            x = Layers.relu(Layers.conv(x, p.get("roi_heads.mask_head." + i + ".0.weight"),
                    p.get("roi_heads.mask_head." + i + ".0.bias"), 1, 1));
        }
        x = Layers.relu(Layers.convTranspose2x2(x, p.get("roi_heads.mask_predictor.conv5_mask.weight"),
                p.get("roi_heads.mask_predictor.conv5_mask.bias")));
        return Layers.conv(x, p.get("roi_heads.mask_predictor.mask_fcn_logits.weight"),
                p.get("roi_heads.mask_predictor.mask_fcn_logits.bias"), 1, 0);
    }
}
