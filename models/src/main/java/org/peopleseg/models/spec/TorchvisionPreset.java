package org.peopleseg.models.spec;

import java.util.ArrayList;
import java.util.List;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;

/**
 * torchvision's Mask R-CNN conventions (version 0.14, {@code torchvision.models.detection}), the reference that
 * peopleseg's graph is proven against by parity tests, and the layout of every torchvision checkpoint.
 */
public final class TorchvisionPreset {

    private TorchvisionPreset() {}

    /**
     * {@code maskrcnn_resnet50_fpn(num_classes=numClasses, min_size=minSize, max_size=maxSize)} at inference:
     *
     * <ul>
     *   <li>ResNet-50, FPN P2..P6 with 256 channels (P6 = max-pool of P5, {@code LastLevelMaxPool});</li>
     *   <li>{@code AnchorGenerator(((32,), (64,), (128,), (256,), (512,)), ((0.5, 1.0, 2.0),) * 5)}: aspect ratio
     *       r = h / w becomes the multipliers (1 / sqrt(r), sqrt(r)); ratio outer, size inner; centres at
     *       j * stride (offset 0); base anchors rounded;</li>
     *   <li>RPN: unweighted deltas, test pre/post NMS top-n 1000/1000, NMS 0.7, min size 1e-3;</li>
     *   <li>{@code MultiScaleRoIAlign(['0','1','2','3'], 7, sampling_ratio=2)}: aligned false, levels 2..5,
     *       canonical 224 px at level 4; mask RoIAlign 14;</li>
     *   <li>box head {@code TwoMLPHead} 1024, weights (10, 10, 5, 5), score threshold 0.05, NMS 0.5, 100
     *       detections, min size 1e-2; mask head 4 convolutions of 256 channels;</li>
     *   <li>{@code GeneralizedRCNNTransform}: shorter side to minSize, longer at most maxSize, ImageNet
     *       mean/std.</li>
     * </ul>
     */
    public static MaskRcnnConfig maskrcnnResnet50Fpn(int minSize, int maxSize, int numClasses) {
        List<double[]> sizes = new ArrayList<>();
        for (double s : new double[] {32, 64, 128, 256, 512}) {
            sizes.add(new double[] {s});
        }
        List<double[]> aspects = new ArrayList<>();
        for (double r : new double[] {0.5, 1.0, 2.0}) {
            double h = Math.sqrt(r);
            aspects.add(new double[] {1 / h, h});
        }
        var roiBox = new MaskRcnnConfig.RoiAlign(7, 2, false, 2, 5, 224, 4);
        var roiMask = new MaskRcnnConfig.RoiAlign(14, 2, false, 2, 5, 224, 4);
        return new MaskRcnnConfig(
                new MaskRcnnConfig.Backbone(50),
                new MaskRcnnConfig.Fpn(2, 6, 256),
                new MaskRcnnConfig.Anchors(sizes, aspects, true, 0.0, true),
                new MaskRcnnConfig.Rpn(1000, 1000, 0.7, 1e-3, new double[] {1, 1, 1, 1}),
                roiBox,
                new MaskRcnnConfig.BoxHead(1024, new double[] {10, 10, 5, 5}, 0.05, 0.5, 100, 1e-2),
                new MaskRcnnConfig.MaskHead(roiMask, 4, 256),
                new MaskRcnnConfig.Input(maxSize, minSize, MaskRcnnConfig.Input.Resize.MIN_MAX,
                        new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225}),
                numClasses);
    }
}
