package org.peopleseg.models.maskrcnn;

import java.util.ArrayList;
import java.util.List;
import org.peopleseg.runtime.onnx.Attr;
import org.peopleseg.runtime.onnx.Ops;

/**
 * torchvision's MultiScaleRoIAlign: each box is pooled from one FPN level chosen by its size (LevelMapper:
 * floor(k0 + log2(sqrt(area) / s0) + 1e-6), clamped), with RoIAlign (average, fixed sampling ratio). Boxes are
 * gathered per level, pooled, and scattered back into their original order.
 */
final class MultiLevelRoiAlign {
    private MultiLevelRoiAlign() {}

    /**
     * @param levels FPN outputs, levels.get(0) is level {@code fpnMinLevel}
     * @param rois   [R, 4] boxes in input pixels
     * @return [R, C, S, S]
     */
    static String build(Ops o, MaskRcnnConfig.RoiAlign cfg, List<String> levels, int fpnMinLevel, int channels, String rois) {
        var g = o.graph();
        String area = BoxCoding.area(o, rois);
        String lvl = o.floor(o.add(o.add(g.scalar(cfg.canonicalLevel()),
                        o.div(o.log(o.div(o.sqrt(area), g.scalar(cfg.canonicalScale()))), g.scalar((float) Math.log(2)))),
                g.scalar(1e-6f)));
        lvl = o.min(o.max(lvl, g.scalar(cfg.minLevel())), g.scalar(cfg.maxLevel()));
        int s = cfg.outputSize();
        List<String> order = new ArrayList<>();
        List<String> pooled = new ArrayList<>();
        for (int level = cfg.minLevel(); level <= cfg.maxLevel(); level++) {
            String idx = o.nonZero1d(o.equal(lvl, g.scalar(level)));
            String boxes = o.gather(rois, idx, 0);
            String batch = o.mul(idx, g.intScalar(0));
            order.add(idx);
            pooled.add(g.op("RoiAlign", List.of(levels.get(level - fpnMinLevel), boxes, batch),
                    Attr.s("mode", "avg"), Attr.i("output_height", s), Attr.i("output_width", s),
                    Attr.i("sampling_ratio", cfg.samplingRatio()), Attr.f("spatial_scale", 1f / (1 << level)),
                    Attr.s("coordinate_transformation_mode", cfg.aligned() ? "half_pixel" : "output_half_pixel")));
        }
        // The level results, concatenated, hold box order[j] at row j; gathering with the inverse permutation
        // restores the input order in one copy (ScatterND per level would copy the whole output each time).
        String perm = o.concat(order, 0);
        String positions = o.range(g.intScalar(0), o.squeeze(o.shape(perm), 0), g.intScalar(1));
        String inverse = g.op("ScatterElements", List.of(o.mul(perm, g.intScalar(0)), perm, positions), Attr.i("axis", 0));
        return o.gather(o.concat(pooled, 0), inverse, 0);
    }
}
