package org.peopleseg.models.maskrcnn;

import java.util.ArrayList;
import java.util.List;
import org.peopleseg.runtime.onnx.Ops;

/**
 * RPN head and proposal selection (torchvision's RegionProposalNetwork.filter_proposals at eval): per level the
 * top-k anchors by objectness logit, decoded, clipped to the image, small boxes dropped, NMS within each level,
 * then the best {@code postNmsTopN} over all levels by objectness probability.
 */
final class RegionProposals {
    private final MaskRcnnConfig.Rpn rpn;
    private final MaskRcnnConfig.Anchors anchors;
    private final int minLevel;

    RegionProposals(MaskRcnnConfig config) {
        this.rpn = config.rpn();
        this.anchors = config.anchors();
        this.minLevel = config.fpn().minLevel();
    }

    /**
     * @param levels   FPN outputs P_minLevel..P_maxLevel
     * @param imageH   valid (unpadded) image height, float scalar
     * @param imageW   valid image width, float scalar
     * @return proposals [P, 4] sorted by descending objectness
     */
    String build(Ops o, GraphWeights w, List<String> levels, String imageH, String imageW) {
        var g = o.graph();
        int a = anchors.perCell();
        String convW = w.tensor("rpn.head.conv.0.0.weight");
        String convB = w.tensor("rpn.head.conv.0.0.bias");
        String clsW = w.tensor("rpn.head.cls_logits.weight");
        String clsB = w.tensor("rpn.head.cls_logits.bias");
        String boxW = w.tensor("rpn.head.bbox_pred.weight");
        String boxB = w.tensor("rpn.head.bbox_pred.bias");
        String preNms = g.ints(rpn.preNmsTopN());
        List<String> boxes = new ArrayList<>();
        List<String> logits = new ArrayList<>();
        List<String> levelIds = new ArrayList<>();
        for (int i = 0; i < levels.size(); i++) {
            String feature = levels.get(i);
            String t = o.relu(o.conv(feature, convW, convB, 3, 1, 1));
            // objectness [1, A, H, W] -> [H*W*A]; deltas [1, 4A, H, W] -> [1, A, 4, H, W] -> [H*W*A, 4]
            String obj = o.reshape(o.transpose(o.conv(t, clsW, clsB, 1, 1, 0), 0, 2, 3, 1), -1);
            String d = o.conv(t, boxW, boxB, 1, 1, 0);
            String d5 = o.reshape(d, o.concat(List.of(g.ints(1, a, 4), o.shape(d, 2, 4)), 0));
            String deltas = o.reshape(o.transpose(d5, 0, 3, 4, 1, 2), -1, 4);
            String grid = AnchorGrid.build(o, anchors, i, feature, 1 << (minLevel + i));
            String k = o.min(o.reshape(o.size(obj), 1), preNms);
            String[] top = o.topK(obj, k);
            boxes.add(BoxCoding.decode(o, o.gather(deltas, top[1], 0), o.gather(grid, top[1], 0), rpn.boxWeights()));
            logits.add(top[0]);
            levelIds.add(o.mul(o.castFloat(top[1]), g.scalar(0f)));
            levelIds.set(i, o.add(levelIds.get(i), g.scalar(i)));
        }
        String allBoxes = BoxCoding.clip(o, o.concat(boxes, 0), imageH, imageW);
        String probs = o.sigmoid(o.concat(logits, 0));
        String lvl = o.concat(levelIds, 0);
        String keep = o.nonZero1d(BoxCoding.bigEnough(o, allBoxes, rpn.minSize()));
        allBoxes = o.gather(allBoxes, keep, 0);
        probs = o.gather(probs, keep, 0);
        lvl = o.gather(lvl, keep, 0);
        String selected = GroupedNms.select(o, allBoxes, probs, lvl, levels.size(), rpn.nmsThreshold(), rpn.postNmsTopN());
        return o.gather(allBoxes, selected, 0);
    }
}
