package org.peopleseg.train.net.maskrcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.List;

/**
 * torchvision's RPNHead on every level (shared 3x3 conv + ReLU, 1x1 objectness, 1x1 box deltas) with
 * {@code concat_box_prediction_layers}' layout: per image, anchors ordered level, row, column, anchor - the order
 * of {@link AnchorLayout}.
 */
final class RpnHead {
    /** objectness [N, A_total] logits; deltas [N, A_total, 4]; anchors per level (per image). */
    record Output(NDArray objectness, NDArray deltas, int[] perLevel) {}

    private final NetParameters p;

    RpnHead(NetParameters p) {
        this.p = p;
    }

    Output forward(List<NDArray> levels) {
        NDArray convW = p.get("rpn.head.conv.0.0.weight");
        NDArray convB = p.get("rpn.head.conv.0.0.bias");
        NDArray clsW = p.get("rpn.head.cls_logits.weight");
        NDArray clsB = p.get("rpn.head.cls_logits.bias");
        NDArray boxW = p.get("rpn.head.bbox_pred.weight");
        NDArray boxB = p.get("rpn.head.bbox_pred.bias");
        int a = (int) clsW.getShape().get(0);
        NDList obj = new NDList();
        NDList del = new NDList();
        int[] perLevel = new int[levels.size()];
        for (int i = 0; i < levels.size(); i++) {
            NDArray f = levels.get(i);
            long n = f.getShape().get(0), h = f.getShape().get(2), w = f.getShape().get(3);
            NDArray t = Layers.relu(Layers.conv(f, convW, convB, 1, 1));
            // [N, A, H, W] -> [N, H, W, A] -> [N, H*W*A]
            obj.add(Layers.conv(t, clsW, clsB, 1, 0).transpose(0, 2, 3, 1).reshape(n, -1));
            // [N, 4A, H, W] -> [N, A, 4, H, W] -> [N, H, W, A, 4] -> [N, H*W*A, 4]
            del.add(Layers.conv(t, boxW, boxB, 1, 0).reshape(n, a, 4, h, w).transpose(0, 3, 4, 1, 2).reshape(n, -1, 4));
            perLevel[i] = (int) (h * w * a);
        }
        return new Output(NDArrays.concat(obj, 1), NDArrays.concat(del, 1), perLevel);
    }
}
