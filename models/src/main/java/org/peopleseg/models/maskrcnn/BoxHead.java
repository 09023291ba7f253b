package org.peopleseg.models.maskrcnn;

import java.util.List;
import org.peopleseg.runtime.onnx.Ops;

/**
 * The box branch of the RoI heads and its post-processing (torchvision's TwoMLPHead, FastRCNNPredictor and
 * RoIHeads.postprocess_detections): class-specific boxes, softmax scores, background dropped, score threshold,
 * small boxes dropped, per-class NMS, the best {@code detectionsPerImage}.
 */
final class BoxHead {
    /** What the head returns: boxes [D, 4], scores [D], labels [D] (int64 class index, 1-based). */
    record Detections(String boxes, String scores, String labels) {}

    private final MaskRcnnConfig config;

    BoxHead(MaskRcnnConfig config) {
        this.config = config;
    }

    Detections build(Ops o, GraphWeights w, List<String> levels, String proposals, String imageH, String imageW,
                     String scoreThreshold) {
        var g = o.graph();
        MaskRcnnConfig.BoxHead head = config.boxHead();
        int k = config.numClasses();
        String pooled = MultiLevelRoiAlign.build(o, config.boxRoiAlign(), levels, config.fpn().minLevel(),
                config.fpn().channels(), proposals);
        String x = o.flatten(pooled, 1);
        x = o.relu(o.linear(x, w.tensor("roi_heads.box_head.fc6.weight"), w.tensor("roi_heads.box_head.fc6.bias")));
        x = o.relu(o.linear(x, w.tensor("roi_heads.box_head.fc7.weight"), w.tensor("roi_heads.box_head.fc7.bias")));
        String logits = o.linear(x, w.tensor("roi_heads.box_predictor.cls_score.weight"),
                w.tensor("roi_heads.box_predictor.cls_score.bias"));
        String regression = o.linear(x, w.tensor("roi_heads.box_predictor.bbox_pred.weight"),
                w.tensor("roi_heads.box_predictor.bbox_pred.bias"));
        String scores = o.softmax(logits, 1); // [R, K]
        String boxes = BoxCoding.decode(o, o.reshape(regression, -1, k, 4), o.unsqueeze(proposals, 1), head.boxWeights());
        boxes = BoxCoding.clip(o, boxes, imageH, imageW); // [R, K, 4]
        // Drop the background class; flatten proposal-major, class-minor as torchvision does.
        boxes = o.reshape(o.slice(boxes, 1, k, 1), -1, 4);
        scores = o.reshape(o.slice(scores, 1, k, 1), -1);
        String classes = g.constFloats(new long[] {1, k - 1}, classIds(k));
        String labels = o.reshape(o.add(o.mul(o.slice(logits, 1, k, 1), g.scalar(0f)), classes), -1);
        String keep = o.nonZero1d(o.and(o.greater(scores, scoreThreshold), BoxCoding.bigEnough(o, boxes, head.minSize())));
        boxes = o.gather(boxes, keep, 0);
        scores = o.gather(scores, keep, 0);
        labels = o.gather(labels, keep, 0);
        // Group ids for NMS are 0-based class indices (label - 1).
        String selected = GroupedNms.select(o, boxes, scores, o.sub(labels, g.scalar(1f)), k - 1, head.nmsThreshold(),
                head.detectionsPerImage());
        return new Detections(o.gather(boxes, selected, 0), o.gather(scores, selected, 0),
                o.castInt64(o.gather(labels, selected, 0)));
    }

    private static float[] classIds(int k) {
        float[] ids = new float[k - 1];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i + 1;
        }
        return ids;
    }
}
