package org.peopleseg.models.maskrcnn;

import java.util.ArrayList;
import java.util.List;
import org.peopleseg.runtime.onnx.Ops;

/**
 * ResNet v1.5 (torchvision's: the stride sits in the 3x3 convolution) with batch norm folded. Returns the outputs
 * of the four stages C2..C5 (strides 4, 8, 16, 32).
 */
final class ResNetBackbone {
    private final MaskRcnnConfig.Backbone config;

    ResNetBackbone(MaskRcnnConfig.Backbone config) {
        this.config = config;
    }

    /** @param x normalised image [1, 3, H, W]; returns [C2, C3, C4, C5] */
    List<String> build(Ops o, GraphWeights w, String x) {
        String b = "backbone.body.";
        String[] stem = w.convBn(b + "conv1.weight", b + "bn1");
        x = o.relu(o.conv(x, stem[0], stem[1], 7, 2, 3));
        x = o.maxPool(x, 3, 2, 1);
        List<String> stages = new ArrayList<>();
        int inCh = 64;
        int[] blocks = config.blocksPerStage();
        for (int stage = 0; stage < 4; stage++) {
            int out = config.stageChannels(stage);
            for (int i = 0; i < blocks[stage]; i++) {
                String p = b + "layer" + (stage + 1) + "." + i + ".";
                int stride = (i == 0 && stage > 0) ? 2 : 1;
                boolean down = i == 0 && (stage > 0 || inCh != out);
                String identity = x;
                if (down) {
                    String[] d = w.convBn(p + "downsample.0.weight", p + "downsample.1");
                    identity = o.conv(x, d[0], d[1], 1, stride, 0);
                }
                String y;
                if (config.bottleneck()) {
                    String[] c1 = w.convBn(p + "conv1.weight", p + "bn1");
                    String[] c2 = w.convBn(p + "conv2.weight", p + "bn2");
                    String[] c3 = w.convBn(p + "conv3.weight", p + "bn3");
                    y = o.relu(o.conv(x, c1[0], c1[1], 1, 1, 0));
                    y = o.relu(o.conv(y, c2[0], c2[1], 3, stride, 1));
                    y = o.conv(y, c3[0], c3[1], 1, 1, 0);
                } else {
                    String[] c1 = w.convBn(p + "conv1.weight", p + "bn1");
                    String[] c2 = w.convBn(p + "conv2.weight", p + "bn2");
                    y = o.relu(o.conv(x, c1[0], c1[1], 3, stride, 1));
                    y = o.conv(y, c2[0], c2[1], 3, 1, 1);
                }
                x = o.relu(o.add(y, identity));
                inCh = out;
            }
            stages.add(x);
        }
        return stages;
    }
}
