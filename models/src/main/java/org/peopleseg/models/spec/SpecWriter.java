package org.peopleseg.models.spec;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.models.spec.proto.DataConfig;
import org.peopleseg.models.spec.proto.Experiment;
import org.peopleseg.models.spec.proto.MaskRCNNConfig;
import org.peopleseg.models.spec.proto.PeoplesegConfig;

/**
 * Writes any {@link MaskRcnnConfig} as a spec, so that a preset or a resolved spec can be shown, saved and
 * edited in the one format users know ({@code peopleseg build --preset torchvision} prints "the resolved spec").
 * Reading the text back with {@link SpecParser} and {@link SpecResolver} gives the same config.
 *
 * <p>What TAO's spec can say goes into TAO's fields; what it cannot (anchor centre offset, ordering, rounding,
 * RoIAlign sampling, torchvision's min/max resize, ...) goes into {@code peopleseg_config}, one field per
 * deviation from TAO's convention. A model that follows TAO's conventions therefore renders as a plain TAO spec.
 * Only inference-relevant fields are written: the result is a model definition, not a training recipe.
 */
public final class SpecWriter {

    private SpecWriter() {}

    /**
     * The spec text for {@code config}.
     *
     * @throws IllegalArgumentException if the config cannot be written as a spec (see {@link #toExperiment})
     */
    public static String render(MaskRcnnConfig config) {
        Experiment e = toExperiment(config);
        StringBuilder out = new StringBuilder();
        out.append("# Mask R-CNN spec written by peopleseg (TAO MaskRCNN experiment format).\n");
        if (e.hasPeoplesegConfig()) {
            out.append("# peopleseg_config holds conventions TAO's spec cannot express; TAO itself does not accept that section.\n");
        }
        out.append(SpecTextPrinter.print(e));
        return out.toString();
    }

    /**
     * The spec message for {@code config}.
     *
     * @throws IllegalArgumentException where the config has something no spec can say: a mask RoIAlign that differs
     *         from the box RoIAlign other than in size, levels with different numbers of anchor sizes, a value TAO
     *         stores as float that a float cannot hold exactly, a fit-and-pad input not divisible by the largest
     *         stride
     */
    public static Experiment toExperiment(MaskRcnnConfig c) {
        checkExpressible(c);
        PeoplesegConfig.Builder ext = PeoplesegConfig.newBuilder();
        MaskRCNNConfig.Builder m = MaskRCNNConfig.newBuilder()
                .setArch("resnet")
                .setNlayers(c.backbone().depth())
                .setMinLevel(c.fpn().minLevel())
                .setMaxLevel(c.fpn().maxLevel());
        if (c.fpn().channels() != TaoConventions.FPN_CHANNELS) {
            ext.setFpnChannels(c.fpn().channels());
        }
        anchors(c, m, ext);
        rpn(c.rpn(), m, ext);
        roi(c.boxRoiAlign(), c.fpn(), ext);
        boxHead(c.boxHead(), m, ext);
        if (c.includeMask()) {
            m.setIncludeMask(true).setMrcnnResolution(c.maskHead().resolution());
            if (c.maskHead().convs() != TaoConventions.MASK_HEAD_CONVS) {
                ext.setMaskHeadConvs(c.maskHead().convs());
            }
            if (c.maskHead().channels() != TaoConventions.MASK_HEAD_CHANNELS) {
                ext.setMaskHeadChannels(c.maskHead().channels());
            }
        }
        MaskRcnnConfig.Input in = c.input();
        DataConfig d = DataConfig.newBuilder()
                .setImageSize(tuple(new double[] {in.height(), in.width()}))
                .setNumClasses(c.numClasses())
                .build();
        if (in.resize() == MaskRcnnConfig.Input.Resize.MIN_MAX) {
            ext.setResize(PeoplesegConfig.Resize.MIN_MAX);
        }
        if (!Arrays.equals(in.mean(), TaoConventions.PIXEL_MEAN)) {
            ext.setPixelMean(tuple(in.mean()));
        }
        if (!Arrays.equals(in.std(), TaoConventions.PIXEL_STD)) {
            ext.setPixelStd(tuple(in.std()));
        }
        Experiment.Builder e = Experiment.newBuilder().setMaskrcnnConfig(m).setDataConfig(d);
        PeoplesegConfig built = ext.build();
        if (!built.equals(PeoplesegConfig.getDefaultInstance())) {
            e.setPeoplesegConfig(built);
        }
        return e.build();
    }

    private static void anchors(MaskRcnnConfig c, MaskRCNNConfig.Builder m, PeoplesegConfig.Builder ext) {
        MaskRcnnConfig.Anchors a = c.anchors();
        int numScales = a.sizesPerLevel().get(0).length;
        double scale = a.sizesPerLevel().get(0)[0] / Math.pow(2, c.fpn().minLevel());
        boolean taoForm = scale == Math.rint(scale) && scale >= 1 && sameSizes(a.sizesPerLevel(),
                SpecResolver.taoAnchorSizes((int) scale, numScales, c.fpn().minLevel(), c.fpn().maxLevel()));
        if (taoForm) {
            m.setAnchorScale((int) scale).setNumScales(numScales);
        } else {
            ext.setAnchorSizes(a.sizesPerLevel().stream()
                    .map(s -> s.length == 1 ? SpecTextPrinter.tupleNumber(s[0]) : tuple(s))
                    .collect(Collectors.joining(", ", "[", "]")));
        }
        m.setAspectRatios(a.aspectMultipliers().stream().map(SpecWriter::tuple).collect(Collectors.joining(", ", "[", "]")));
        if (a.ratioMajor() != TaoConventions.ANCHOR_RATIO_MAJOR) {
            ext.setAnchorRatioMajor(a.ratioMajor());
        }
        if (a.centerOffset() != TaoConventions.ANCHOR_CENTER_OFFSET) {
            ext.setAnchorCenterOffset(a.centerOffset());
        }
        if (a.roundBase() != TaoConventions.ANCHOR_ROUND_BASE) {
            ext.setAnchorRoundBase(a.roundBase());
        }
    }

    private static void rpn(MaskRcnnConfig.Rpn r, MaskRCNNConfig.Builder m, PeoplesegConfig.Builder ext) {
        m.setTestRpnPreNmsTopn(r.preNmsTopN())
                .setTestRpnPostNmsTopn(r.postNmsTopN())
                .setTestRpnNmsThresh(asFloat("test_rpn_nms_thresh", r.nmsThreshold()))
                .setRpnMinSize(asFloat("rpn_min_size", r.minSize()));
        if (!Arrays.equals(r.boxWeights(), TaoConventions.RPN_BOX_WEIGHTS)) {
            ext.setRpnBoxWeights(tuple(r.boxWeights()));
        }
    }

    private static void roi(MaskRcnnConfig.RoiAlign r, MaskRcnnConfig.Fpn fpn, PeoplesegConfig.Builder ext) {
        if (r.outputSize() != TaoConventions.BOX_ROI_SIZE) {
            ext.setBoxRoiSize(r.outputSize());
        }
        if (r.samplingRatio() != TaoConventions.ROI_SAMPLING_RATIO) {
            ext.setRoiSamplingRatio(r.samplingRatio());
        }
        if (r.aligned() != TaoConventions.ROI_ALIGNED) {
            ext.setRoiAligned(r.aligned());
        }
        if (r.minLevel() != fpn.minLevel()) {
            ext.setRoiMinLevel(r.minLevel());
        }
        if (r.maxLevel() != fpn.maxLevel()) {
            ext.setRoiMaxLevel(r.maxLevel());
        }
        if (r.canonicalScale() != TaoConventions.ROI_CANONICAL_SCALE) {
            ext.setRoiCanonicalScale(r.canonicalScale());
        }
        if (r.canonicalLevel() != TaoConventions.ROI_CANONICAL_LEVEL) {
            ext.setRoiCanonicalLevel(r.canonicalLevel());
        }
    }

    private static void boxHead(MaskRcnnConfig.BoxHead b, MaskRCNNConfig.Builder m, PeoplesegConfig.Builder ext) {
        m.setFastRcnnMlpHeadDim(b.mlpDim())
                .setBboxRegWeights(tuple(SpecResolver.yxhwToXywh(b.boxWeights())))
                .setTestNms(asFloat("test_nms", b.nmsThreshold()))
                .setTestDetectionsPerImage(b.detectionsPerImage());
        if (b.scoreThreshold() != TaoConventions.BOX_SCORE_THRESHOLD) {
            ext.setBoxScoreThreshold(b.scoreThreshold());
        }
        if (b.minSize() != TaoConventions.BOX_MIN_SIZE) {
            ext.setBoxMinSize(b.minSize());
        }
    }

    private static void checkExpressible(MaskRcnnConfig c) {
        List<double[]> sizes = c.anchors().sizesPerLevel();
        if (sizes.stream().anyMatch(s -> s.length != sizes.get(0).length)) {
            throw new IllegalArgumentException("every pyramid level needs the same number of anchor sizes to be written as a spec");
        }
        if (c.includeMask()) {
            MaskRcnnConfig.RoiAlign box = c.boxRoiAlign();
            MaskRcnnConfig.RoiAlign mask = c.maskHead().roiAlign();
            if (box.samplingRatio() != mask.samplingRatio() || box.aligned() != mask.aligned() || box.minLevel() != mask.minLevel()
                    || box.maxLevel() != mask.maxLevel() || box.canonicalScale() != mask.canonicalScale()
                    || box.canonicalLevel() != mask.canonicalLevel()) {
                throw new IllegalArgumentException("a spec has one RoIAlign setting for both heads; the mask RoIAlign "
                        + mask + " differs from the box RoIAlign " + box + " in more than its size");
            }
        }
        if (c.boxHead().boxWeights().length != 4 || c.rpn().boxWeights().length != 4) {
            throw new IllegalArgumentException("box-coding weights need 4 values");
        }
        MaskRcnnConfig.Input in = c.input();
        int stride = 1 << c.fpn().maxLevel();
        if (in.resize() == MaskRcnnConfig.Input.Resize.FIT_PAD && (in.width() % stride != 0 || in.height() % stride != 0)) {
            throw new IllegalArgumentException("a fit-and-pad input of " + in.width() + "x" + in.height()
                    + " is not a multiple of the largest stride " + stride + ", which a spec's image_size must be");
        }
    }

    private static boolean sameSizes(List<double[]> a, List<double[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** A value for one of TAO's float fields, refused if a float cannot carry it exactly (as a decimal). */
    private static float asFloat(String field, double v) {
        float f = (float) v;
        if (SpecResolver.decimal(f) != v) {
            throw new IllegalArgumentException(field + " " + v + " cannot be written exactly: TAO stores it as a 32-bit float ("
                    + f + ")");
        }
        return f;
    }

    private static String tuple(double[] values) {
        return Arrays.stream(values).mapToObj(SpecTextPrinter::tupleNumber).collect(Collectors.joining(", ", "(", ")"));
    }
}
