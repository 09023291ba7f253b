package org.peopleseg.train.yolo.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import org.peopleseg.train.net.Scalars;

/**
 * Ultralytics' training loss for segmentation models, written from its definitions in ultralytics/utils/loss.py
 * ({@code v8SegmentationLoss}, {@code v8DetectionLoss}, {@code BboxLoss}, {@code DFLoss}) and utils/tal.py
 * ({@code TaskAlignedAssigner}, {@code make_anchors}, {@code bbox2dist}, {@code dist2bbox}), for one image (batch
 * size 1: Ultralytics' final {@code loss * batch_size} is then the plain sum):
 *
 * <ul>
 *   <li>boxes are decoded as the DFL expectation: softmax over reg_max bins times the projection (the package's own
 *       DFL weights, so training sees the boxes inference computes), anchor point -/+ distances, in grid units;
 *   <li>targets from the {@link TaskAlignedAssigner} on detached probabilities and boxes in pixels;
 *   <li>cls: BCE-with-logits of every anchor's class logits against the target scores, summed, divided by
 *       max(sum of target scores, 1);
 *   <li>box: (1 - CIoU) of the positives, weighted by their target score, / the same sum;
 *   <li>dfl: cross-entropy of each side's bins against the two bins around the target distance (clamped to
 *       [0, reg_max - 1.01]), linearly weighted, mean over the 4 sides, weighted and normalised as box;
 *   <li>seg: per positive, its mask logits = coefficients x prototypes at prototype resolution, BCE against its
 *       ground truth's mask, cropped to the ground-truth box at prototype resolution, mean over the prototype area,
 *       divided by the box's normalised area, summed, divided by the number of positives. Skipped (0, no gradient)
 *       when the image has boxes only;
 *   <li>total = box * 7.5 + seg * 7.5 + cls * 0.5 + dfl * 1.5 (the mask term takes the box gain).
 * </ul>
 */
public final class SegmentationLoss {
    private final TaskAlignedAssigner assigner;
    private final LossGains gains;
    private final AnchorPoints anchors;
    private final float[] projection;
    private final int inputWidth;
    private final int inputHeight;

    /**
     * @param projection the DFL bin values (0..reg_max-1 in Ultralytics; the package's dequantised weights here)
     */
    public SegmentationLoss(TaskAlignedAssigner assigner, LossGains gains, AnchorPoints anchors, float[] projection,
                            int inputWidth, int inputHeight) {
        this.assigner = assigner;
        this.gains = gains;
        this.anchors = anchors;
        this.projection = projection.clone();
        this.inputWidth = inputWidth;
        this.inputHeight = inputHeight;
    }

    /** The loss of one image: the differentiable total (a scalar array in {@code m}) and its terms. */
    public record Result(NDArray total, YoloLossTerms terms, Assignment assignment) {}

    public Result compute(HeadTensors h, YoloTargets t, NDManager m) {
        int n = anchors.size();
        int regMax = projection.length;
        int classes = (int) h.cls().getShape().get(1);
        if (h.dist().getShape().get(0) != n) {
            throw new IllegalArgumentException("head has " + h.dist().getShape().get(0) + " anchors, the grid " + n);
        }
        NDArray proj = m.create(projection);
        float[] scores;
        float[] dist;
        try (NDManager tmp = m.newSubManager()) {
            NDArray d = h.dist().stopGradient();
            d.attach(tmp);
            dist = d.softmax(2).mul(proj).sum(new int[] {2}).toFloatArray();
            NDArray c = h.cls().stopGradient();
            c.attach(tmp);
            scores = Activation.sigmoid(c).toFloatArray();
        }
        float[] pred = new float[4 * n];
        float[] ax = new float[n], ay = new float[n];
        for (int a = 0; a < n; a++) {
            float s = anchors.stride()[a];
            ax[a] = anchors.x()[a] * s;
            ay[a] = anchors.y()[a] * s;
            pred[4 * a] = (anchors.x()[a] - dist[4 * a]) * s;
            pred[4 * a + 1] = (anchors.y()[a] - dist[4 * a + 1]) * s;
            pred[4 * a + 2] = (anchors.x()[a] + dist[4 * a + 2]) * s;
            pred[4 * a + 3] = (anchors.y()[a] + dist[4 * a + 3]) * s;
        }
        Assignment as = assigner.assign(scores, classes, pred, ax, ay, t.boxes(), t.labels());
        float tss = (float) Math.max(as.scoreSum(), 1.0);

        NDArray targetScores = m.create(as.targetScores(), new Shape(n, classes));
        NDArray cls = Scalars.div(bce(h.cls(), targetScores).sum(), tss);
        int[] pos = as.positiveAnchors();
        int p = pos.length;
        NDArray box, dfl, seg;
        double segValue = 0;
        if (p == 0) {
            box = m.create(0f);
            dfl = m.create(0f);
            seg = m.create(0f);
        } else {
            long[] idx = new long[p];
            float[] w = new float[p], px = new float[p], py = new float[p], tgt = new float[4 * p];
            float[] dflWeights = new float[p * 4 * regMax];
            for (int k = 0; k < p; k++) {
                int a = pos[k];
                idx[k] = a;
                w[k] = as.weight(a);
                px[k] = anchors.x()[a];
                py[k] = anchors.y()[a];
                int j = as.targetGt()[a];
                float s = anchors.stride()[a];
                for (int q = 0; q < 4; q++) {
                    tgt[4 * k + q] = t.boxes()[4 * j + q] / s;
                }
                // bbox2dist: (anchor - x1y1, x2y2 - anchor), clamped to [0, reg_max - 1 - 0.01]
                float[] ltrb = {px[k] - tgt[4 * k], py[k] - tgt[4 * k + 1], tgt[4 * k + 2] - px[k],
                        tgt[4 * k + 3] - py[k]};
                for (int q = 0; q < 4; q++) {
                    float v = Math.max(0, Math.min(regMax - 1 - 0.01f, ltrb[q]));
                    int left = (int) v;
                    float wl = left + 1 - v;
                    dflWeights[(k * 4 + q) * regMax + left] = wl;
                    dflWeights[(k * 4 + q) * regMax + left + 1] = 1 - wl;
                }
            }
            NDArray index = m.create(idx);
            NDArray weight = m.create(w);
            NDArray logits = h.dist().get(index); // [P, 4, regMax]
            NDArray ltrb = logits.softmax(2).mul(proj).sum(new int[] {2}); // [P, 4]
            NDArray apx = m.create(px), apy = m.create(py);
            NDArray predBox = NDArrays.stack(new NDList(apx.sub(ltrb.get(":, 0")), apy.sub(ltrb.get(":, 1")),
                    apx.add(ltrb.get(":, 2")), apy.add(ltrb.get(":, 3"))), 1);
            NDArray targetBox = m.create(tgt, new Shape(p, 4));
            NDArray ciou = ciou(predBox, targetBox);
            box = Scalars.div(m.create(1f).sub(ciou).mul(weight).sum(), tss);
            NDArray dflTarget = m.create(dflWeights, new Shape(p, 4, regMax));
            NDArray perSide = logits.logSoftmax(2).mul(dflTarget).sum(new int[] {2}).neg(); // [P, 4]
            dfl = Scalars.div(perSide.mean(new int[] {1}).mul(weight).sum(), tss);
            if (t.hasMasks() && h.protos() != null) {
                seg = maskLoss(h, t, as, pos, index, m);
                segValue = seg.getFloat();
            } else {
                seg = m.create(0f);
            }
        }
        // the constants are libtorch-owned (Scalars): DJL's mul(Number) would leave autograd a freed one
        NDArray total = Scalars.mul(box, (float) gains.box()).add(Scalars.mul(seg, (float) gains.box()))
                .add(Scalars.mul(cls, (float) gains.cls())).add(Scalars.mul(dfl, (float) gains.dfl()));
        YoloLossTerms terms = new YoloLossTerms(box.getFloat(), segValue, cls.getFloat(), dfl.getFloat(),
                total.getFloat(), p);
        return new Result(total, terms, as);
    }

    /** v8SegmentationLoss.single_mask_loss over this image's positives, / their number. */
    private NDArray maskLoss(HeadTensors h, YoloTargets t, Assignment as, int[] pos, NDArray index, NDManager m) {
        long mCoef = h.protos().getShape().get(0);
        int hp = (int) h.protos().getShape().get(1), wp = (int) h.protos().getShape().get(2);
        int p = pos.length, area = hp * wp;
        float[] target = new float[p * area];
        float[] crop = new float[p * area];
        float[] boxArea = new float[p];
        for (int k = 0; k < p; k++) {
            int j = as.targetGt()[pos[k]];
            byte[] mask = t.masks()[j];
            if (mask.length != area) {
                throw new IllegalArgumentException("mask of box " + j + " has " + mask.length + " pixels, prototypes "
                        + wp + "x" + hp);
            }
            double nx1 = t.boxes()[4 * j] / inputWidth, ny1 = t.boxes()[4 * j + 1] / inputHeight;
            double nx2 = t.boxes()[4 * j + 2] / inputWidth, ny2 = t.boxes()[4 * j + 3] / inputHeight;
            boxArea[k] = (float) ((nx2 - nx1) * (ny2 - ny1));
            // crop_mask: keep prototype pixels with x1 <= col < x2 and y1 <= row < y2, box at prototype scale
            double x1 = nx1 * wp, x2 = nx2 * wp, y1 = ny1 * hp, y2 = ny2 * hp;
            for (int r = 0; r < hp; r++) {
                boolean rowIn = r >= y1 && r < y2;
                for (int c = 0; c < wp; c++) {
                    int i = k * area + r * wp + c;
                    target[i] = mask[r * wp + c] != 0 ? 1f : 0f;
                    crop[i] = rowIn && c >= x1 && c < x2 ? 1f : 0f;
                }
            }
        }
        NDArray coeffs = h.coeffs().get(index); // [P, M]
        NDArray logits = coeffs.matMul(h.protos().reshape(mCoef, area)); // [P, Hp*Wp]
        NDArray bce = bce(logits, m.create(target, new Shape(p, area))).mul(m.create(crop, new Shape(p, area)));
        return Scalars.div(bce.mean(new int[] {1}).div(m.create(boxArea)).sum(), (float) p);
    }

    /** Elementwise BCE with logits, the stable form: softplus(x) - x * t. */
    static NDArray bce(NDArray logits, NDArray target) {
        return Activation.softPlus(logits).sub(logits.mul(target));
    }

    /**
     * CIoU of [P, 4] xyxy boxes, as Ultralytics' bbox_iou(CIoU=True) (see {@link BoxIou}); alpha is computed
     * without gradient, as there.
     */
    static NDArray ciou(NDArray b1, NDArray b2) {
        float eps = (float) BoxIou.EPS;
        NDArray b1x1 = b1.get(":, 0"), b1y1 = b1.get(":, 1"), b1x2 = b1.get(":, 2"), b1y2 = b1.get(":, 3");
        NDArray b2x1 = b2.get(":, 0"), b2y1 = b2.get(":, 1"), b2x2 = b2.get(":, 2"), b2y2 = b2.get(":, 3");
        NDArray w1 = b1x2.sub(b1x1), h1 = Scalars.add(b1y2.sub(b1y1), eps);
        NDArray w2 = b2x2.sub(b2x1), h2 = Scalars.add(b2y2.sub(b2y1), eps);
        NDArray iw = Scalars.maximum(b1x2.minimum(b2x2).sub(b1x1.maximum(b2x1)), 0f);
        NDArray ih = Scalars.maximum(b1y2.minimum(b2y2).sub(b1y1.maximum(b2y1)), 0f);
        NDArray inter = iw.mul(ih);
        NDArray union = Scalars.add(w1.mul(h1).add(w2.mul(h2)).sub(inter), eps);
        NDArray iou = inter.div(union);
        NDArray cw = b1x2.maximum(b2x2).sub(b1x1.minimum(b2x1));
        NDArray ch = b1y2.maximum(b2y2).sub(b1y1.minimum(b2y1));
        NDArray c2 = Scalars.add(cw.square().add(ch.square()), eps);
        NDArray rho2 = Scalars.div(b2x1.add(b2x2).sub(b1x1).sub(b1x2).square()
                .add(b2y1.add(b2y2).sub(b1y1).sub(b1y2).square()), 4f);
        NDArray v = Scalars.mul(w2.div(h2).atan().sub(w1.div(h1).atan()).square(), (float) (4 / (Math.PI * Math.PI)));
        NDArray alpha = v.div(Scalars.add(v.sub(iou), 1 + eps)).stopGradient();
        return iou.sub(rho2.div(c2).add(v.mul(alpha)));
    }
}
