package org.peopleseg.train.net.maskrcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.models.maskrcnn.StateDictImport;
import org.peopleseg.models.maskrcnn.WeightTensor;
import org.peopleseg.train.TrainingEngine;
import org.peopleseg.train.net.ImageTargets;
import org.peopleseg.train.net.LossTerms;
import org.peopleseg.train.net.Scalars;
import org.peopleseg.train.net.TrainableModel;
import org.peopleseg.train.net.TrainingBatch;
import org.peopleseg.train.net.TrainingRules;

/**
 * The Mask R-CNN of a resolved {@link MaskRcnnConfig} as a trainable DJL network: torchvision's GeneralizedRCNN in
 * training mode (losses) and in inference mode (detections), with weights under torchvision's state_dict names so
 * {@link #stateDict()} goes straight into {@code MaskRcnnPackage.write}.
 *
 * <p><b>Why DJL layers built from the config, not a translation of the ONNX graph.</b> The ONNX graph is the
 * inference function only: BN folded into constants, NMS/TopK/NonZero with data-dependent shapes, no training path.
 * Training needs a different forward (anchor matching, sampling, GT boxes added to the proposals, losses) around
 * the same layers, and a graph translator would have to give gradients to ONNX's RoiAlign and ConvTranspose, which
 * DJL lacks. So both engines are built from the same resolved config by small stage classes that mirror each other
 * one to one (ResNetBackbone/FeaturePyramid -> {@link FeatureNetwork}, RegionProposals -> {@link RpnHead} +
 * {@link ProposalSelection}, MultiLevelRoiAlign -> {@link RoiFeatures}, BoxHead/MaskHead -> {@link RoiHeads}), share
 * the anchor definition ({@code AnchorGrid.baseAnchors}) and the weight layout ({@code WeightLayout}), and a test
 * runs one set of weights through both and compares FPN features, proposals, boxes, scores and masks.
 *
 * <p>Everything without a gradient - anchors, proposal selection, NMS, matching, sampling, box and mask targets -
 * runs in plain Java on detached values (as torchvision detaches proposals); the layers and losses are DJL ops.
 *
 * <p>Input canvases must be multiples of 32 (FPN top-down addition). torchvision derives a level's anchor stride as
 * canvas // cells, which differs from 2^level on P6 when the P5 side is odd (e.g. 96 px): here, as in the ONNX graph
 * and TAO, the stride is 2^level; canvases that are multiples of 64 agree with torchvision everywhere.
 */
public final class MaskRcnnTrainable implements TrainableModel {
    private final MaskRcnnConfig config;
    private final TrainingRules rules;
    private final MaskTargetRule maskRule;
    private final NDManager manager;
    private final NetParameters params;
    private final FeatureNetwork features;
    private final RpnHead rpnHead;
    private final RoiHeads heads;
    private final TrainingTargets targets;
    private long samplingStep;
    private int anchorsHeight = -1;
    private int anchorsWidth = -1;
    private float[] anchors;

    /**
     * @param weights every tensor {@code WeightLayout.expected(config)} lists (from {@code StateDictImport.adapt},
     *     {@link StartWeights#scratch}, {@link StartWeights#fromPackage} or {@link #stateDict()})
     * @throws IllegalArgumentException when the weights do not fit the config (every problem listed), or a rule is
     *     out of range (the field named)
     */
    public MaskRcnnTrainable(MaskRcnnConfig config, TrainingRules rules, Freezing freezing, MaskTargetRule maskRule,
                             Map<String, WeightTensor> weights) {
        checkRules(rules);
        Map<String, WeightTensor> checked;
        try {
            checked = StateDictImport.adapt(config, weights, null);
        } catch (StateDictImport.MismatchException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        this.config = config;
        this.rules = rules;
        this.maskRule = maskRule;
        this.manager = TrainingEngine.get().newBaseManager();
        this.params = new NetParameters(manager, config, freezing, checked);
        this.features = new FeatureNetwork(params);
        this.rpnHead = new RpnHead(params);
        this.heads = new RoiHeads(params);
        this.targets = new TrainingTargets(config, rules);
    }

    /** @throws IllegalArgumentException naming the TAO field that is out of range */
    static void checkRules(TrainingRules r) {
        check(r.rpnNegativeOverlap() <= r.rpnPositiveOverlap(), "rpn_negative_overlap " + r.rpnNegativeOverlap()
                + " must not exceed rpn_positive_overlap " + r.rpnPositiveOverlap());
        check(r.rpnPositiveOverlap() > 0 && r.rpnPositiveOverlap() <= 1, "rpn_positive_overlap must be in (0, 1]");
        check(r.rpnBatchSizePerIm() > 0, "rpn_batch_size_per_im must be positive");
        check(r.rpnFgFraction() > 0 && r.rpnFgFraction() <= 1, "rpn_fg_fraction must be in (0, 1]");
        check(r.rpnMinSize() >= TrainingRules.MIN_PROPOSAL_SIZE, "rpn_min_size must be at least "
                + TrainingRules.MIN_PROPOSAL_SIZE + " (a zero-width proposal's box target divides by zero), got "
                + r.rpnMinSize());
        check(r.trainRpnPreNmsTopN() > 0, "train_rpn_pre_nms_topn must be positive");
        check(r.trainRpnPostNmsTopN() > 0, "train_rpn_post_nms_topn must be positive");
        check(r.trainRpnNmsThreshold() > 0 && r.trainRpnNmsThreshold() <= 1, "train_rpn_nms_threshold must be in (0, 1]");
        check(r.batchSizePerIm() > 0, "batch_size_per_im must be positive");
        check(r.fgFraction() > 0 && r.fgFraction() <= 1, "fg_fraction must be in (0, 1]");
        check(r.bgThreshLo() <= r.bgThreshHi(), "bg_thresh_lo " + r.bgThreshLo() + " must not exceed bg_thresh_hi "
                + r.bgThreshHi());
        check(r.bgThreshHi() <= r.fgThresh(), "bg_thresh_hi " + r.bgThreshHi() + " must not exceed fg_thresh "
                + r.fgThresh());
        check(r.gtMaskSize() > 0, "gt_mask_size must be positive");
        check(r.rpnBoxLossWeight() >= 0 && r.fastRcnnBoxLossWeight() >= 0 && r.maskLossWeight() >= 0,
                "loss weights must not be negative");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public MaskRcnnConfig config() {
        return config;
    }

    /** How many {@link #losses} calls the random samplers have seen; the trainer saves it with a checkpoint. */
    public long samplingStep() {
        return samplingStep;
    }

    /** Continues the samplers' sequence at this step (resume): sampling of step s depends only on seed and s. */
    public void seekSampling(long step) {
        this.samplingStep = step;
    }

    @Override
    public LossTerms losses(NDManager step, TrainingBatch batch) {
        checkCanvas(batch.height(), batch.width());
        checkBoxes(batch);
        SplittableRandom random = new SplittableRandom(rules.seed() * 0x9E3779B97F4A7C15L + samplingStep++);
        int n = batch.batch();
        NDArray x = step.create(batch.pixels(), new Shape(n, 3, batch.height(), batch.width()));
        List<NDArray> levels = features.forward(step, x);
        RpnHead.Output rpn = rpnHead.forward(levels);
        float[] anchorBoxes = anchorsFor(batch.height(), batch.width());
        int a = anchorBoxes.length / 4;
        float[] logits = rpn.objectness().toFloatArray();
        float[] deltas = rpn.deltas().toFloatArray();
        ProposalSelection.Settings train = new ProposalSelection.Settings(rules.trainRpnPreNmsTopN(),
                rules.trainRpnPostNmsTopN(), rules.trainRpnNmsThreshold(), rules.rpnMinSize(), config.rpn().boxWeights());

        List<Long> sampled = new ArrayList<>();
        List<Float> sampledLabels = new ArrayList<>();
        List<Long> positives = new ArrayList<>();
        List<float[]> positiveTargets = new ArrayList<>();
        List<TrainingTargets.RoiSample> rois = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ImageTargets gt = batch.targets().get(i);
            int[] size = batch.imageSizes().get(i);
            float[] li = java.util.Arrays.copyOfRange(logits, i * a, (i + 1) * a);
            float[] di = java.util.Arrays.copyOfRange(deltas, i * a * 4, (i + 1) * a * 4);
            ProposalSelection.Proposals props = ProposalSelection.select(li, di, anchorBoxes, rpn.perLevel(), train,
                    size[0], size[1]);
            TrainingTargets.AnchorSample as = targets.anchors(anchorBoxes, gt, random);
            for (int k = 0; k < as.indices().length; k++) {
                sampled.add((long) i * a + as.indices()[k]);
                sampledLabels.add(as.labels()[k]);
            }
            for (int k = 0; k < as.positives().length; k++) {
                positives.add((long) i * a + as.positives()[k]);
            }
            positiveTargets.add(as.positiveTargets());
            rois.add(targets.rois(props, gt, random));
        }
        NDArray rpnObjectness = Losses.bceWithLogitsMean(
                rpn.objectness().reshape(-1).get(step.create(toLongs(sampled))),
                step.create(toFloats(sampledLabels)));
        NDArray rpnBox = positives.isEmpty() ? step.create(0f)
                : Losses.smoothL1Sum(rpn.deltas().reshape(-1, 4).get(step.create(toLongs(positives))),
                        step.create(concat(positiveTargets), new Shape(positives.size(), 4)), 1f / 9)
                        .div(Scalars.of(rpnObjectness, sampled.size()));

        RoiBatch rb = new RoiBatch(rois);
        RoiFeatures boxPool = new RoiFeatures(levels, config.fpn().minLevel(), config.boxRoiAlign());
        RoiHeads.BoxOutput box = heads.box(boxPool.pool(step, rb.boxes, rb.image));
        int k = config.numClasses();
        long[] flat = new long[rb.count];
        List<Long> posRows = new ArrayList<>();
        List<float[]> posTargets = new ArrayList<>();
        for (int r = 0; r < rb.count; r++) {
            flat[r] = (long) r * k + rb.labels[r];
            if (rb.labels[r] > 0) {
                posRows.add(flat[r]);
                posTargets.add(java.util.Arrays.copyOfRange(rb.targets, 4 * r, 4 * r + 4));
            }
        }
        NDArray classifier = Losses.crossEntropyMean(box.logits(), step.create(flat));
        NDArray boxLoss = posRows.isEmpty() ? step.create(0f)
                : Losses.smoothL1Sum(box.deltas().reshape(-1, 4).get(step.create(toLongs(posRows))),
                        step.create(concat(posTargets), new Shape(posRows.size(), 4)), 1f / 9).div(Scalars.of(classifier, rb.count));
        NDArray mask = config.includeMask() ? maskLoss(step, levels, rb, batch) : step.create(0f);

        NDArray total = rpnObjectness.add(rpnBox.mul(Scalars.of(rpnBox, (float) rules.rpnBoxLossWeight())))
                .add(classifier).add(boxLoss.mul(Scalars.of(boxLoss, (float) rules.fastRcnnBoxLossWeight())))
                .add(mask.mul(Scalars.of(mask, (float) rules.maskLossWeight())));
        return new LossTerms(rpnObjectness, rpnBox, classifier, boxLoss, mask, total);
    }

    private NDArray maskLoss(NDManager step, List<NDArray> levels, RoiBatch rb, TrainingBatch batch) {
        int m = config.maskHead().resolution();
        List<Integer> pos = new ArrayList<>();
        for (int r = 0; r < rb.count; r++) {
            if (rb.labels[r] > 0 && batch.targets().get(rb.image[r]).hasMasks()) {
                pos.add(r);
            }
        }
        if (pos.isEmpty()) {
            return step.create(0f);
        }
        int p = pos.size();
        float[] boxes = new float[p * 4];
        int[] image = new int[p];
        long[] flat = new long[p];
        float[] maskTargets = new float[p * m * m];
        int k = config.numClasses();
        for (int i = 0; i < p; i++) {
            int r = pos.get(i);
            System.arraycopy(rb.boxes, 4 * r, boxes, 4 * i, 4);
            image[i] = rb.image[r];
            flat[i] = (long) i * k + rb.labels[r];
            ImageTargets gt = batch.targets().get(rb.image[r]);
            byte[] gtMask = gt.masks().get(rb.matched[r]);
            if (maskRule == MaskTargetRule.TORCHVISION) {
                MaskTargets.torchvision(gtMask, gt.height(), gt.width(), boxes, i, m, maskTargets, i * m * m);
            } else {
                MaskTargets.tao(gtMask, gt.height(), gt.width(), TrainingTargets.boxes(gt), rb.matched[r], boxes, i, m,
                        rules.gtMaskSize(), maskTargets, i * m * m);
            }
        }
        RoiFeatures maskPool = new RoiFeatures(levels, config.fpn().minLevel(), config.maskHead().roiAlign());
        NDArray logits = heads.mask(maskPool.pool(step, boxes, image)).reshape((long) p * k, (long) m * m);
        return Losses.bceWithLogitsMean(logits.get(step.create(flat)), step.create(maskTargets, new Shape(p, (long) m * m)));
    }

    /**
     * The inference function (torchvision eval mode, the ONNX package's function) for one image.
     *
     * @param pixels [1, 3, height, width] normalised
     * @param validHeight un-padded image height (boxes are clipped to it)
     */
    public InferenceResult infer(NDManager step, float[] pixels, int height, int width, int validHeight, int validWidth,
                                 float scoreThreshold) {
        return new Inference(config, features, rpnHead, heads).run(step, pixels, height, width, validHeight, validWidth,
                scoreThreshold, anchorsFor(height, width));
    }

    private float[] anchorsFor(int height, int width) {
        if (height != anchorsHeight || width != anchorsWidth) {
            anchors = AnchorLayout.anchors(config, height, width);
            anchorsHeight = height;
            anchorsWidth = width;
        }
        return anchors;
    }

    /**
     * torchvision refuses degenerate ground truth ("All bounding boxes should have positive height and width"): a
     * box without area has an infinite regression target (log of 0) and would turn the losses into NaN.
     */
    static void checkBoxes(TrainingBatch batch) {
        for (int i = 0; i < batch.batch(); i++) {
            List<float[]> boxes = batch.targets().get(i).boxesXyxy();
            for (int k = 0; k < boxes.size(); k++) {
                float[] b = boxes.get(k);
                boolean finite = Float.isFinite(b[0]) && Float.isFinite(b[1]) && Float.isFinite(b[2]) && Float.isFinite(b[3]);
                if (!finite || b[2] <= b[0] || b[3] <= b[1]) {
                    throw new IllegalArgumentException("image " + i + " of the batch, box " + k + " "
                            + java.util.Arrays.toString(b) + ": ground-truth boxes need a positive width and height");
                }
            }
        }
    }

    static void checkCanvas(int height, int width) {
        if (height % 32 != 0 || width % 32 != 0) {
            throw new IllegalArgumentException("the network input must be a multiple of 32 on each side, got "
                    + width + "x" + height);
        }
    }

    /** Arrays the model's own manager holds (a step must not add to them). */
    int managedArrays() {
        return manager.getManagedArrays().size();
    }

    @Override
    public List<Parameter> trainableParameters() {
        return params.trainable();
    }

    @Override
    public Map<String, WeightTensor> stateDict() {
        return params.stateDict();
    }

    @Override
    public void loadStateDict(Map<String, WeightTensor> weights) {
        params.load(weights);
    }

    @Override
    public void close() {
        params.close();
        manager.close();
    }

    /** The sampled RoIs of all images of a batch, concatenated. */
    private static final class RoiBatch {
        final float[] boxes;
        final int[] image;
        final int[] labels;
        final int[] matched;
        final float[] targets;
        final int count;

        RoiBatch(List<TrainingTargets.RoiSample> samples) {
            int c = samples.stream().mapToInt(TrainingTargets.RoiSample::size).sum();
            boxes = new float[c * 4];
            image = new int[c];
            labels = new int[c];
            matched = new int[c];
            targets = new float[c * 4];
            int k = 0;
            for (int i = 0; i < samples.size(); i++) {
                TrainingTargets.RoiSample s = samples.get(i);
                System.arraycopy(s.rois(), 0, boxes, 4 * k, s.rois().length);
                System.arraycopy(s.targets(), 0, targets, 4 * k, s.targets().length);
                System.arraycopy(s.labels(), 0, labels, k, s.size());
                System.arraycopy(s.matched(), 0, matched, k, s.size());
                java.util.Arrays.fill(image, k, k + s.size(), i);
                k += s.size();
            }
            count = c;
        }
    }

    private static long[] toLongs(List<Long> v) {
        return v.stream().mapToLong(Long::longValue).toArray();
    }

    private static float[] toFloats(List<Float> v) {
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }

    private static float[] concat(List<float[]> parts) {
        int n = parts.stream().mapToInt(p -> p.length).sum();
        float[] out = new float[n];
        int k = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, k, p.length);
            k += p.length;
        }
        return out;
    }
}
