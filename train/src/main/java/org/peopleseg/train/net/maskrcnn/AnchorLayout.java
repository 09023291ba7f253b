package org.peopleseg.train.net.maskrcnn;

import org.peopleseg.models.maskrcnn.AnchorGrid;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;

/**
 * The anchors of every level for one input size, as plain floats [A_total * 4]: cell-major (row, column), the
 * cell's anchors innermost, levels in order - torchvision's AnchorGenerator layout, from the same base anchors the
 * ONNX graph uses ({@link AnchorGrid#baseAnchors}), centres at (j + offset) * stride.
 */
final class AnchorLayout {
    private AnchorLayout() {}

    static float[] anchors(MaskRcnnConfig config, int height, int width) {
        MaskRcnnConfig.Fpn fpn = config.fpn();
        int total = 0;
        for (int level = fpn.minLevel(); level <= fpn.maxLevel(); level++) {
            total += cells(height, level) * cells(width, level) * config.anchors().perCell();
        }
        float[] out = new float[total * 4];
        int k = 0;
        for (int i = 0; i < fpn.levels(); i++) {
            int level = fpn.minLevel() + i;
            int stride = 1 << level;
            float[] base = AnchorGrid.baseAnchors(config.anchors(), i);
            float offset = (float) (config.anchors().centerOffset() * stride);
            int h = cells(height, level), w = cells(width, level);
            for (int y = 0; y < h; y++) {
                float sy = y * stride + offset;
                for (int x = 0; x < w; x++) {
                    float sx = x * stride + offset;
                    for (int b = 0; b < base.length; b += 4) {
                        out[k++] = sx + base[b];
                        out[k++] = sy + base[b + 1];
                        out[k++] = sx + base[b + 2];
                        out[k++] = sy + base[b + 3];
                    }
                }
            }
        }
        return out;
    }

    /** Feature-map side at a level for an input side that is a multiple of 32 (levels above 5 halve, rounding up). */
    static int cells(int side, int level) {
        int s = side >> Math.min(level, 5);
        for (int l = 6; l <= level; l++) {
            s = (s + 1) / 2;
        }
        return s;
    }
}
