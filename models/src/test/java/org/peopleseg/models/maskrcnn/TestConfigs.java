package org.peopleseg.models.maskrcnn;

import java.util.ArrayList;
import java.util.List;

/** Configurations for tests, written out here so graph tests do not depend on the spec parser. */
final class TestConfigs {
    private TestConfigs() {}

    /** torchvision 0.14 maskrcnn_resnet50_fpn conventions. */
    static MaskRcnnConfig torchvision(int minSize, int maxSize, int numClasses) {
        List<double[]> sizes = new ArrayList<>();
        for (int s : new int[] {32, 64, 128, 256, 512}) {
            sizes.add(new double[] {s});
        }
        List<double[]> aspects = new ArrayList<>();
        for (double r : new double[] {0.5, 1.0, 2.0}) {
            double h = Math.sqrt(r);
            aspects.add(new double[] {1 / h, h});
        }
        MaskRcnnConfig.RoiAlign box = new MaskRcnnConfig.RoiAlign(7, 2, false, 2, 5, 224, 4);
        MaskRcnnConfig.RoiAlign mask = new MaskRcnnConfig.RoiAlign(14, 2, false, 2, 5, 224, 4);
        return new MaskRcnnConfig(new MaskRcnnConfig.Backbone(50), new MaskRcnnConfig.Fpn(2, 6, 256),
                new MaskRcnnConfig.Anchors(sizes, aspects, true, 0, true),
                new MaskRcnnConfig.Rpn(1000, 1000, 0.7, 1e-3, new double[] {1, 1, 1, 1}), box,
                new MaskRcnnConfig.BoxHead(1024, new double[] {10, 10, 5, 5}, 0.05, 0.5, 100, 1e-2),
                new MaskRcnnConfig.MaskHead(mask, 4, 256),
                new MaskRcnnConfig.Input(maxSize, minSize, MaskRcnnConfig.Input.Resize.MIN_MAX,
                        new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225}),
                numClasses);
    }
}
