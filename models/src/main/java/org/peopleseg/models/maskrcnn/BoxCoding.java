package org.peopleseg.models.maskrcnn;

import java.util.List;
import org.peopleseg.runtime.onnx.Ops;

/**
 * Box arithmetic as graph nodes, mirroring torchvision's BoxCoder.decode_single, clip_boxes_to_image and
 * remove_small_boxes. Boxes are (x1, y1, x2, y2) on the last axis; widths are x2 - x1 (no "+1").
 */
final class BoxCoding {
    /** torchvision's bbox_xform_clip: deltas for log-width/height are capped so exp() cannot overflow. */
    static final double XFORM_CLIP = Math.log(1000.0 / 16);

    private BoxCoding() {}

    /**
     * Applies regression deltas (dx, dy, dw, dh) to reference boxes.
     *
     * @param deltas  [..., 4]
     * @param refs    [..., 4], broadcastable against deltas
     * @param weights (wx, wy, ww, wh): the deltas are divided by these first
     */
    static String decode(Ops o, String deltas, String refs, double[] weights) {
        String x1 = col(o, refs, 0), y1 = col(o, refs, 1), x2 = col(o, refs, 2), y2 = col(o, refs, 3);
        String half = o.graph().scalar(0.5f);
        String w = o.sub(x2, x1);
        String h = o.sub(y2, y1);
        String cx = o.add(x1, o.mul(half, w));
        String cy = o.add(y1, o.mul(half, h));
        String clip = o.graph().scalar((float) XFORM_CLIP);
        String dx = o.div(col(o, deltas, 0), o.graph().scalar((float) weights[0]));
        String dy = o.div(col(o, deltas, 1), o.graph().scalar((float) weights[1]));
        String dw = o.min(o.div(col(o, deltas, 2), o.graph().scalar((float) weights[2])), clip);
        String dh = o.min(o.div(col(o, deltas, 3), o.graph().scalar((float) weights[3])), clip);
        String pcx = o.add(o.mul(dx, w), cx);
        String pcy = o.add(o.mul(dy, h), cy);
        String halfW = o.mul(half, o.mul(o.exp(dw), w));
        String halfH = o.mul(half, o.mul(o.exp(dh), h));
        return o.concat(List.of(o.sub(pcx, halfW), o.sub(pcy, halfH), o.add(pcx, halfW), o.add(pcy, halfH)), -1);
    }

    /** Clamps x to [0, width] and y to [0, height]; {@code height}/{@code width} are float scalars. */
    static String clip(Ops o, String boxes, String height, String width) {
        String zero = o.graph().scalar(0f);
        String x1 = o.min(o.max(col(o, boxes, 0), zero), width);
        String y1 = o.min(o.max(col(o, boxes, 1), zero), height);
        String x2 = o.min(o.max(col(o, boxes, 2), zero), width);
        String y2 = o.min(o.max(col(o, boxes, 3), zero), height);
        return o.concat(List.of(x1, y1, x2, y2), -1);
    }

    /** Boolean [N]: both sides of the box [N, 4] at least {@code minSize}. */
    static String bigEnough(Ops o, String boxes, double minSize) {
        String m = o.graph().scalar((float) minSize);
        String w = o.sub(col(o, boxes, 2), col(o, boxes, 0));
        String h = o.sub(col(o, boxes, 3), col(o, boxes, 1));
        return o.reshape(o.and(o.greaterOrEqual(w, m), o.greaterOrEqual(h, m)), -1);
    }

    /** Area of boxes [N, 4] as [N]. */
    static String area(Ops o, String boxes) {
        String w = o.sub(col(o, boxes, 2), col(o, boxes, 0));
        String h = o.sub(col(o, boxes, 3), col(o, boxes, 1));
        return o.reshape(o.mul(w, h), -1);
    }

    /** Column i of the last axis, keeping the axis (size 1). */
    static String col(Ops o, String boxes, int i) {
        return o.slice(boxes, i, i + 1, -1);
    }
}
