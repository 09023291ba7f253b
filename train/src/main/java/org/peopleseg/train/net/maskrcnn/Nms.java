package org.peopleseg.train.net.maskrcnn;

import java.util.ArrayList;
import java.util.List;

/**
 * Non-maximum suppression in plain Java (no gradient passes through it). Suppresses a box when its IoU with a kept,
 * higher-scoring box exceeds the threshold (torchvision's nms kernel: strictly greater). Grouped NMS is
 * torchvision's {@code _batched_nms_vanilla}: NMS within each group, survivors ordered by descending score.
 */
final class Nms {
    private Nms() {}

    /**
     * @param order candidate indices into {@code boxes}, best score first
     * @return the kept indices, best first
     */
    static List<Integer> suppress(float[] boxes, int[] order, float iouThreshold) {
        int n = order.length;
        boolean[] removed = new boolean[n];
        float[] area = new float[n];
        for (int k = 0; k < n; k++) {
            int i = order[k];
            area[k] = (boxes[4 * i + 2] - boxes[4 * i]) * (boxes[4 * i + 3] - boxes[4 * i + 1]);
        }
        List<Integer> keep = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            if (removed[a]) {
                continue;
            }
            int i = order[a];
            keep.add(i);
            float x1 = boxes[4 * i], y1 = boxes[4 * i + 1], x2 = boxes[4 * i + 2], y2 = boxes[4 * i + 3];
            for (int b = a + 1; b < n; b++) {
                if (removed[b]) {
                    continue;
                }
                int j = order[b];
                float w = Math.max(0f, Math.min(x2, boxes[4 * j + 2]) - Math.max(x1, boxes[4 * j]));
                float h = Math.max(0f, Math.min(y2, boxes[4 * j + 3]) - Math.max(y1, boxes[4 * j + 1]));
                float inter = w * h;
                if (inter / (area[a] + area[b] - inter) > iouThreshold) {
                    removed[b] = true;
                }
            }
        }
        return keep;
    }

    /**
     * NMS per group, then all survivors by descending score (ties: lower index first), at most {@code limit}.
     *
     * @param candidates indices into boxes/scores/groups to consider
     */
    static int[] grouped(float[] boxes, float[] scores, int[] groups, int[] candidates, float iouThreshold, int limit) {
        int maxGroup = 0;
        for (int c : candidates) {
            maxGroup = Math.max(maxGroup, groups[c]);
        }
        List<Integer> kept = new ArrayList<>();
        for (int g = 0; g <= maxGroup; g++) {
            int count = 0;
            for (int c : candidates) {
                if (groups[c] == g) {
                    count++;
                }
            }
            if (count == 0) {
                continue;
            }
            int[] members = new int[count];
            int k = 0;
            for (int c : candidates) {
                if (groups[c] == g) {
                    members[k++] = c;
                }
            }
            kept.addAll(suppress(boxes, TopK.descending(scores, members, members.length), iouThreshold));
        }
        int[] all = kept.stream().mapToInt(Integer::intValue).toArray();
        return TopK.descending(scores, all, Math.min(limit, all.length));
    }
}
