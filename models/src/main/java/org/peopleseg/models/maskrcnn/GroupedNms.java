package org.peopleseg.models.maskrcnn;

import java.util.ArrayList;
import java.util.List;
import org.peopleseg.runtime.onnx.Attr;
import org.peopleseg.runtime.onnx.Ops;

/**
 * torchvision's batched_nms: NMS independently within each group (an FPN level, a class), then the survivors of
 * all groups ordered by descending score and cut to the best {@code limit}. Built on ONNX NonMaxSuppression's
 * class axis, each group a "class" whose scores are the group's own (others set to -1, below the score threshold),
 * which is exact, unlike the coordinate-offset trick whose large offsets perturb IoUs in float32.
 */
final class GroupedNms {
    private GroupedNms() {}

    /**
     * @param boxes  [N, 4]
     * @param scores [N], all >= 0
     * @param group  [N] float group ids 0..groups-1
     * @return indices into the N boxes, [M], best score first, M <= limit
     */
    static String select(Ops o, String boxes, String scores, String group, int groups, double iou, int limit) {
        var g = o.graph();
        String minusOne = g.scalar(-1f);
        List<String> perGroup = new ArrayList<>();
        for (int c = 0; c < groups; c++) {
            perGroup.add(o.unsqueeze(o.where(o.equal(group, g.scalar(c)), scores, minusOne), 0));
        }
        String scores3 = o.unsqueeze(o.concat(perGroup, 0), 0); // [1, groups, N]
        String boxes3 = o.unsqueeze(boxes, 0); // [1, N, 4]
        String selected = g.op("NonMaxSuppression", List.of(boxes3, scores3, g.ints(limit),
                g.constFloats(new long[] {1}, (float) iou), g.constFloats(new long[] {1}, -0.5f)),
                Attr.i("center_point_box", 0));
        String idx = o.reshape(o.slice(selected, 2, 3, 1), -1);
        String kept = o.gather(scores, idx, 0);
        String k = o.min(o.reshape(o.size(kept), 1), g.ints(limit));
        String[] top = o.topK(kept, k);
        return o.gather(idx, top[1], 0);
    }
}
