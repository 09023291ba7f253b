package org.peopleseg.train.net.maskrcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;

/**
 * The network in inference mode (torchvision's eval path, the function the ONNX package computes): test-time
 * proposals, the box head's softmax scores and class-specific decoded boxes clipped to the image, background
 * dropped, scores above the threshold, boxes of at least the min size, per-class NMS, the best
 * {@code detectionsPerImage}, then the mask head on those boxes and the sigmoid of each box's class channel.
 */
final class Inference {
    private final MaskRcnnConfig config;
    private final FeatureNetwork features;
    private final RpnHead rpnHead;
    private final RoiHeads heads;

    Inference(MaskRcnnConfig config, FeatureNetwork features, RpnHead rpnHead, RoiHeads heads) {
        this.config = config;
        this.features = features;
        this.rpnHead = rpnHead;
        this.heads = heads;
    }

    InferenceResult run(NDManager step, float[] pixels, int height, int width, int validH, int validW,
                        float scoreThreshold, float[] anchors) {
        MaskRcnnTrainable.checkCanvas(height, width);
        NDArray x = step.create(pixels, new Shape(1, 3, height, width));
        List<NDArray> levels = features.forward(step, x);
        List<float[]> fpn = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (NDArray l : levels) {
            Shape s = l.getShape();
            fpn.add(l.toFloatArray());
            shapes.add(new int[] {(int) s.get(1), (int) s.get(2), (int) s.get(3)});
        }
        RpnHead.Output rpn = rpnHead.forward(levels);
        MaskRcnnConfig.Rpn r = config.rpn();
        ProposalSelection.Proposals props = ProposalSelection.select(rpn.objectness().toFloatArray(),
                rpn.deltas().toFloatArray(), anchors, rpn.perLevel(),
                new ProposalSelection.Settings(r.preNmsTopN(), r.postNmsTopN(), r.nmsThreshold(), r.minSize(),
                        r.boxWeights()), validH, validW);
        int p = props.count();
        int k = config.numClasses();
        float[] boxes = new float[0];
        float[] scores = new float[0];
        int[] labels = new int[0];
        float[] masks = new float[0];
        if (p > 0) {
            RoiFeatures pool = new RoiFeatures(levels, config.fpn().minLevel(), config.boxRoiAlign());
            RoiHeads.BoxOutput out = heads.box(pool.pool(step, props.boxes(), new int[p]));
            float[] prob = out.logits().softmax(1).toFloatArray();
            float[] deltas = out.deltas().toFloatArray();
            MaskRcnnConfig.BoxHead bh = config.boxHead();
            // candidates proposal-major, class-minor, background dropped (torchvision's flattening order)
            int c = p * (k - 1);
            float[] candBoxes = new float[c * 4];
            float[] candScores = new float[c];
            int[] candLabels = new int[c];
            List<Integer> keep = new ArrayList<>();
            for (int i = 0; i < p; i++) {
                for (int cls = 1; cls < k; cls++) {
                    int j = i * (k - 1) + cls - 1;
                    BoxMath.decode(deltas, i * k + cls, props.boxes(), i, bh.boxWeights(), candBoxes, j);
                    BoxMath.clip(candBoxes, j, validH, validW);
                    candScores[j] = prob[i * k + cls];
                    candLabels[j] = cls;
                    if (candScores[j] > scoreThreshold && BoxMath.bigEnough(candBoxes, j, (float) bh.minSize())) {
                        keep.add(j);
                    }
                }
            }
            int[] sel = Nms.grouped(candBoxes, candScores, candLabels, keep.stream().mapToInt(Integer::intValue).toArray(),
                    (float) bh.nmsThreshold(), bh.detectionsPerImage());
            int d = sel.length;
            boxes = new float[d * 4];
            scores = new float[d];
            labels = new int[d];
            for (int i = 0; i < d; i++) {
                System.arraycopy(candBoxes, 4 * sel[i], boxes, 4 * i, 4);
                scores[i] = candScores[sel[i]];
                labels[i] = candLabels[sel[i]];
            }
            if (config.includeMask() && d > 0) {
                int m = config.maskHead().resolution();
                RoiFeatures maskPool = new RoiFeatures(levels, config.fpn().minLevel(), config.maskHead().roiAlign());
                NDArray logits = heads.mask(maskPool.pool(step, boxes, new int[d]));
                float[] all = logits.toFloatArray(); // [D, K, M, M]
                masks = new float[d * m * m];
                for (int i = 0; i < d; i++) {
                    int base = (i * k + labels[i]) * m * m;
                    for (int q = 0; q < m * m; q++) {
                        masks[i * m * m + q] = ProposalSelection.sigmoid(all[base + q]);
                    }
                }
            }
        }
        return new InferenceResult(fpn, shapes, props.boxes(), props.scores(), boxes, scores, labels, masks);
    }
}
