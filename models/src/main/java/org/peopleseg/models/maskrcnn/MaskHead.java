package org.peopleseg.models.maskrcnn;

import java.util.List;
import org.peopleseg.runtime.onnx.Ops;

/**
 * The mask branch (torchvision's MaskRCNNHeads + MaskRCNNPredictor + maskrcnn_inference): RoIAlign on the final
 * boxes, 3x3 convolutions, a 2x transposed convolution, per-class logits; the channel of each box's class, through
 * a sigmoid. Returns [D, M, M] probabilities; pasting into the image is the caller's job.
 */
final class MaskHead {
    private final MaskRcnnConfig config;

    MaskHead(MaskRcnnConfig config) {
        this.config = config;
    }

    String build(Ops o, GraphWeights w, List<String> levels, BoxHead.Detections dets) {
        var g = o.graph();
        MaskRcnnConfig.MaskHead mh = config.maskHead();
        String x = MultiLevelRoiAlign.build(o, mh.roiAlign(), levels, config.fpn().minLevel(), config.fpn().channels(),
                dets.boxes());
        for (int i = 0; i < mh.convs(); i++) {
            x = o.relu(o.conv(x, w.tensor("roi_heads.mask_head." + i + ".0.weight"),
                    w.tensor("roi_heads.mask_head." + i + ".0.bias"), 3, 1, 1));
        }
        x = o.relu(o.convTranspose(x, w.tensor("roi_heads.mask_predictor.conv5_mask.weight"),
                w.tensor("roi_heads.mask_predictor.conv5_mask.bias"), 2, 2));
        String logits = o.conv(x, w.tensor("roi_heads.mask_predictor.mask_fcn_logits.weight"),
                w.tensor("roi_heads.mask_predictor.mask_fcn_logits.bias"), 1, 1, 0); // [D, K, M, M]
        String d = o.squeeze(o.shape(dets.boxes(), 0, 1), 0);
        String rows = o.range(g.intScalar(0), d, g.intScalar(1));
        String index = o.concat(List.of(o.unsqueeze(rows, 1), o.unsqueeze(dets.labels(), 1)), 1); // [D, 2]
        return o.sigmoid(g.op("GatherND", List.of(logits, index)));
    }
}
