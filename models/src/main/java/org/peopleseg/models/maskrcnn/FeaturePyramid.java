package org.peopleseg.models.maskrcnn;

import java.util.ArrayList;
import java.util.List;
import org.peopleseg.runtime.onnx.Ops;

/**
 * FPN (torchvision's FeaturePyramidNetwork + LastLevelMaxPool): lateral 1x1 convolutions, top-down nearest 2x
 * upsampling and addition, a 3x3 convolution per level; levels above 5 by max-pool (kernel 1, stride 2) of the
 * level below.
 */
final class FeaturePyramid {
    private final MaskRcnnConfig.Fpn config;

    FeaturePyramid(MaskRcnnConfig.Fpn config) {
        this.config = config;
    }

    /** @param stages backbone outputs C2..C5; returns P_minLevel..P_maxLevel */
    List<String> build(Ops o, GraphWeights w, List<String> stages) {
        int first = config.minLevel() - 2;
        int n = 4 - first;
        String[] results = new String[n];
        String last = null;
        for (int i = n - 1; i >= 0; i--) {
            String lateral = o.conv(stages.get(first + i), w.tensor("backbone.fpn.inner_blocks." + i + ".0.weight"),
                    w.tensor("backbone.fpn.inner_blocks." + i + ".0.bias"), 1, 1, 0);
            // Input sizes are multiples of 32, so every level is exactly twice the one above.
            last = last == null ? lateral : o.add(lateral, o.upsample2x(last));
            results[i] = o.conv(last, w.tensor("backbone.fpn.layer_blocks." + i + ".0.weight"),
                    w.tensor("backbone.fpn.layer_blocks." + i + ".0.bias"), 3, 1, 1);
        }
        List<String> levels = new ArrayList<>(List.of(results));
        for (int level = 6; level <= config.maxLevel(); level++) {
            levels.add(o.maxPool(levels.get(levels.size() - 1), 1, 2));
        }
        return levels;
    }
}
