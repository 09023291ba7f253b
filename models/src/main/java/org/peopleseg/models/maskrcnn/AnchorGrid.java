package org.peopleseg.models.maskrcnn;

import java.util.List;
import org.peopleseg.runtime.onnx.Ops;

/**
 * Anchors for one FPN level as graph nodes, computed from the feature map's runtime size so one graph serves every
 * input size. Layout matches torchvision's AnchorGenerator: cell-major (row, then column), anchors of a cell
 * innermost. Public for the training network (train module), which lays its anchors out from the same base anchors.
 */
public final class AnchorGrid {
    private AnchorGrid() {}

    /**
     * Base anchors of one level centred at the origin, [A, 4] as (x1, y1, x2, y2), in the configured order.
     * Arithmetic in float32 as torchvision does it, so rounding lands on the same integers.
     */
    public static float[] baseAnchors(MaskRcnnConfig.Anchors anchors, int levelIndex) {
        double[] sizes = anchors.sizesPerLevel().get(levelIndex);
        List<double[]> aspects = anchors.aspectMultipliers();
        float[] out = new float[sizes.length * aspects.size() * 4];
        int k = 0;
        int outer = anchors.ratioMajor() ? aspects.size() : sizes.length;
        int inner = anchors.ratioMajor() ? sizes.length : aspects.size();
        for (int a = 0; a < outer; a++) {
            for (int b = 0; b < inner; b++) {
                double[] aspect = aspects.get(anchors.ratioMajor() ? a : b);
                float size = (float) sizes[anchors.ratioMajor() ? b : a];
                float halfW = (float) aspect[0] * size / 2f;
                float halfH = (float) aspect[1] * size / 2f;
                float[] box = {-halfW, -halfH, halfW, halfH};
                for (float v : box) {
                    out[k++] = anchors.roundBase() ? (float) Math.rint(v) : v;
                }
            }
        }
        return out;
    }

    /** Anchors [H*W*A, 4] for the feature map {@code feature} [1, C, H, W] of the given stride. */
    static String build(Ops o, MaskRcnnConfig.Anchors anchors, int levelIndex, String feature, int stride) {
        var g = o.graph();
        float[] base = baseAnchors(anchors, levelIndex);
        String baseT = g.constFloats(new long[] {base.length / 4, 4}, base);
        String h = o.squeeze(o.shape(feature, 2, 3), 0);
        String w = o.squeeze(o.shape(feature, 3, 4), 0);
        String zeroI = g.intScalar(0);
        String oneI = g.intScalar(1);
        String strideF = g.scalar(stride);
        String offset = g.scalar((float) (anchors.centerOffset() * stride));
        String xs = o.add(o.mul(o.castFloat(o.range(zeroI, w, oneI)), strideF), offset); // [W]
        String ys = o.add(o.mul(o.castFloat(o.range(zeroI, h, oneI)), strideF), offset); // [H]
        String zero = g.scalar(0f);
        String gridX = o.add(o.unsqueeze(xs, 0), o.unsqueeze(o.mul(ys, zero), 1)); // [H, W]
        String gridY = o.add(o.unsqueeze(ys, 1), o.unsqueeze(o.mul(xs, zero), 0)); // [H, W]
        String x = o.unsqueeze(gridX, 2);
        String y = o.unsqueeze(gridY, 2);
        String shifts = o.unsqueeze(o.concat(List.of(x, y, x, y), 2), 2); // [H, W, 1, 4]
        return o.reshape(o.add(shifts, baseT), -1, 4);
    }
}
