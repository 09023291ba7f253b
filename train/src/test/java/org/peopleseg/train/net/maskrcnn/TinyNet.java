package org.peopleseg.train.net.maskrcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.train.net.ImageTargets;
import org.peopleseg.train.net.TrainingBatch;
import org.peopleseg.train.net.TrainingRules;

/** A small Mask R-CNN (ResNet-18, 64-channel FPN and heads) and a synthetic 128x128 image, for fast unit tests. */
final class TinyNet {
    static final int SIZE = 128;

    private TinyNet() {}

    static MaskRcnnConfig config() {
        List<double[]> sizes = new ArrayList<>();
        for (int s : new int[] {16, 32, 64, 128}) {
            sizes.add(new double[] {s});
        }
        List<double[]> aspects = List.of(new double[] {1.41421356, 0.70710678}, new double[] {1, 1},
                new double[] {0.70710678, 1.41421356});
        var box = new MaskRcnnConfig.RoiAlign(7, 2, false, 2, 5, 224, 4);
        var mask = new MaskRcnnConfig.RoiAlign(14, 2, false, 2, 5, 224, 4);
        return new MaskRcnnConfig(new MaskRcnnConfig.Backbone(18), new MaskRcnnConfig.Fpn(2, 5, 64),
                new MaskRcnnConfig.Anchors(sizes, aspects, true, 0, true),
                new MaskRcnnConfig.Rpn(300, 100, 0.7, 1e-3, new double[] {1, 1, 1, 1}), box,
                new MaskRcnnConfig.BoxHead(128, new double[] {10, 10, 5, 5}, 0.05, 0.5, 20, 1e-2),
                new MaskRcnnConfig.MaskHead(mask, 2, 64),
                new MaskRcnnConfig.Input(SIZE, SIZE, MaskRcnnConfig.Input.Resize.FIT_PAD,
                        new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225}),
                2);
    }

    static TrainingRules rules(TrainingRules.Sampling sampling) {
        return new TrainingRules(0.7, 0.3, 64, 0.5, 1e-3, 300, 100, 0.7, 64, 0.25, 0.5, 0.5, 0.0, 28, 1, 1, 1,
                sampling, 7);
    }

    /** Two bright ellipses ("people") on a dark gradient, with their boxes and masks. */
    static TrainingBatch batch() {
        float[][] boxes = {{20, 16, 60, 112}, {76, 40, 116, 100}};
        float[] px = new float[3 * SIZE * SIZE];
        List<byte[]> masks = new ArrayList<>();
        for (float[] b : boxes) {
            masks.add(new byte[SIZE * SIZE]);
        }
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                float v = -1f + 0.5f * x / SIZE;
                for (int k = 0; k < boxes.length; k++) {
                    float[] b = boxes[k];
                    float cx = (b[0] + b[2]) / 2, cy = (b[1] + b[3]) / 2, rx = (b[2] - b[0]) / 2, ry = (b[3] - b[1]) / 2;
                    float dx = (x + 0.5f - cx) / rx, dy = (y + 0.5f - cy) / ry;
                    if (dx * dx + dy * dy <= 1) {
                        masks.get(k)[y * SIZE + x] = 1;
                        v = 1.5f;
                    }
                }
                for (int c = 0; c < 3; c++) {
                    px[c * SIZE * SIZE + y * SIZE + x] = v * (1 - 0.2f * c);
                }
            }
        }
        ImageTargets t = new ImageTargets(List.of(boxes), new int[] {1, 1}, masks, SIZE, SIZE);
        return new TrainingBatch(px, 1, SIZE, SIZE, List.of(new int[] {SIZE, SIZE}), List.of(t));
    }

    /** Plain SGD on the trainable parameters, then their gradients zeroed (libtorch accumulates them). */
    static void sgd(List<Parameter> params, float lr) {
        for (Parameter p : params) {
            NDArray w = p.getArray();
            try (NDArray g = w.getGradient(); NDArray lrArr = w.getManager().create(lr); NDArray d = g.mul(lrArr)) {
                w.subi(d);
                g.subi(g);
            }
        }
    }
}
