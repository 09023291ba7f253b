package org.peopleseg.train.net.maskrcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;

/**
 * ResNet (v1.5, frozen BN folded into each convolution) and FPN, as the ONNX builder's ResNetBackbone and
 * FeaturePyramid lay them out: stem 7x7/2 + max-pool 3x3/2, stages C2..C5 of bottleneck (depth >= 50) or basic
 * blocks, lateral 1x1 convolutions, nearest 2x top-down addition, 3x3 output convolutions, levels above 5 by
 * max-pool (kernel 1, stride 2).
 */
final class FeatureNetwork {
    private final NetParameters p;
    private final MaskRcnnConfig config;

    FeatureNetwork(NetParameters p) {
        this.p = p;
        this.config = p.config();
    }

    /** @param x [N, 3, H, W] in the step's manager, H and W multiples of 32; returns P_minLevel..P_maxLevel */
    List<NDArray> forward(NDManager step, NDArray x) {
        return pyramid(backbone(step, x));
    }

    List<NDArray> backbone(NDManager step, NDArray x) {
        MaskRcnnConfig.Backbone bb = config.backbone();
        String b = "backbone.body.";
        NDArray[] stem = p.convBn(step, b + "conv1.weight", b + "bn1");
        x = Layers.maxPool(Layers.relu(Layers.conv(x, stem[0], stem[1], 2, 3)), 3, 2, 1);
        List<NDArray> stages = new ArrayList<>();
        int inCh = 64;
        int[] blocks = bb.blocksPerStage();
        for (int stage = 0; stage < 4; stage++) {
            int out = bb.stageChannels(stage);
            for (int i = 0; i < blocks[stage]; i++) {
                String q = b + "layer" + (stage + 1) + "." + i + ".";
                int stride = (i == 0 && stage > 0) ? 2 : 1;
                boolean down = i == 0 && (stage > 0 || inCh != out);
                NDArray identity = x;
                if (down) {
                    NDArray[] d = p.convBn(step, q + "downsample.0.weight", q + "downsample.1");
                    identity = Layers.conv(x, d[0], d[1], stride, 0);
                }
                NDArray y;
                if (bb.bottleneck()) {
                    NDArray[] c1 = p.convBn(step, q + "conv1.weight", q + "bn1");
                    NDArray[] c2 = p.convBn(step, q + "conv2.weight", q + "bn2");
                    NDArray[] c3 = p.convBn(step, q + "conv3.weight", q + "bn3");
                    y = Layers.relu(Layers.conv(x, c1[0], c1[1], 1, 0));
                    y = Layers.relu(Layers.conv(y, c2[0], c2[1], stride, 1));
                    y = Layers.conv(y, c3[0], c3[1], 1, 0);
                } else {
                    NDArray[] c1 = p.convBn(step, q + "conv1.weight", q + "bn1");
                    NDArray[] c2 = p.convBn(step, q + "conv2.weight", q + "bn2");
                    y = Layers.relu(Layers.conv(x, c1[0], c1[1], stride, 1));
                    y = Layers.conv(y, c2[0], c2[1], 1, 1);
                }
                x = Layers.relu(y.add(identity));
                inCh = out;
            }
            stages.add(x);
        }
        return stages;
    }

    List<NDArray> pyramid(List<NDArray> stages) {
        MaskRcnnConfig.Fpn fpn = config.fpn();
        int first = fpn.minLevel() - 2;
        int n = 4 - first;
        NDArray[] results = new NDArray[n];
        NDArray last = null;
        for (int i = n - 1; i >= 0; i--) {
            NDArray lateral = Layers.conv(stages.get(first + i), p.get("backbone.fpn.inner_blocks." + i + ".0.weight"),
                    p.get("backbone.fpn.inner_blocks." + i + ".0.bias"), 1, 0);
            last = last == null ? lateral : lateral.add(Layers.upsample2x(last));
            results[i] = Layers.conv(last, p.get("backbone.fpn.layer_blocks." + i + ".0.weight"),
                    p.get("backbone.fpn.layer_blocks." + i + ".0.bias"), 1, 1);
        }
        List<NDArray> levels = new ArrayList<>(List.of(results));
        for (int level = 6; level <= fpn.maxLevel(); level++) {
            levels.add(Layers.maxPool(levels.get(levels.size() - 1), 1, 2, 0));
        }
        return levels;
    }
}
