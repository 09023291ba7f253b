package org.peopleseg.models.spec;

import java.util.ArrayList;
import java.util.List;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.models.spec.proto.DataConfig;
import org.peopleseg.models.spec.proto.MaskRCNNConfig;
import org.peopleseg.models.spec.proto.PeoplesegConfig;

/**
 * Maps a TAO spec onto the architecture the graph builder builds ({@link MaskRcnnConfig}), applying TAO's
 * conventions ({@link TaoConventions}) wherever {@code peopleseg_config} does not override them.
 *
 * <ul>
 *   <li>Anchors: sizes per level l are {@code anchor_scale * 2^l * 2^(s / num_scales)} for s in 0..num_scales-1;
 *       {@code aspect_ratios} pairs are (width, height) multipliers (TAO's anchor w = size * aspect[0]); scale
 *       outer, aspect inner; centres at (j + 0.5) * stride; corners not rounded.</li>
 *   <li>RPN at test time: {@code test_rpn_pre_nms_topn} per level, {@code test_rpn_nms_thresh},
 *       {@code test_rpn_post_nms_topn} overall, {@code rpn_min_size}; deltas unweighted.</li>
 *   <li>RoIAlign: TAO's, i.e. one sample per bin (sampling ratio 1), no half-pixel shift, all pyramid levels,
 *       canonical 224 px at level 4; box RoI 7x7, mask RoI {@code mrcnn_resolution / 2}.</li>
 *   <li>Box head: {@code fast_rcnn_mlp_head_dim}; {@code bbox_reg_weights}, written by TAO in (y, x, h, w) order,
 *       become (x, y, w, h), the order of {@link MaskRcnnConfig.BoxHead#boxWeights()} and torchvision;
 *       {@code test_nms}, {@code test_detections_per_image}; score threshold 0.05 (TAO has none, see
 *       {@link TaoConventions#BOX_SCORE_THRESHOLD}).</li>
 *   <li>Input: {@code image_size} "(H, W)" fit-and-pad; ImageNet mean, std 0.224 (TAO's).</li>
 * </ul>
 *
 * <p>Float fields of the spec are converted through their shortest decimal form (0.7f becomes 0.7, not
 * 0.699999988), so a value written in a spec is the value the model gets.
 */
public final class SpecResolver {

    private SpecResolver() {}

    public static MaskRcnnConfig resolve(TaoSpec spec) {
        MaskRCNNConfig m = spec.experiment().getMaskrcnnConfig();
        DataConfig d = spec.experiment().getDataConfig();
        PeoplesegConfig p = spec.experiment().getPeoplesegConfig();
        TaoSpec.Tuples t = spec.tuples();

        var backbone = new MaskRcnnConfig.Backbone(m.getNlayers());
        var fpn = new MaskRcnnConfig.Fpn(m.getMinLevel(), m.getMaxLevel(),
                p.hasFpnChannels() ? p.getFpnChannels() : TaoConventions.FPN_CHANNELS);
        var anchors = new MaskRcnnConfig.Anchors(
                t.anchorSizes() != null ? t.anchorSizes() : taoAnchorSizes(m.getAnchorScale(), m.getNumScales(), m.getMinLevel(), m.getMaxLevel()),
                t.aspectRatios(),
                p.hasAnchorRatioMajor() ? p.getAnchorRatioMajor() : TaoConventions.ANCHOR_RATIO_MAJOR,
                p.hasAnchorCenterOffset() ? p.getAnchorCenterOffset() : TaoConventions.ANCHOR_CENTER_OFFSET,
                p.hasAnchorRoundBase() ? p.getAnchorRoundBase() : TaoConventions.ANCHOR_ROUND_BASE);
        var rpn = new MaskRcnnConfig.Rpn(m.getTestRpnPreNmsTopn(), m.getTestRpnPostNmsTopn(), decimal(m.getTestRpnNmsThresh()),
                decimal(m.getRpnMinSize()), t.rpnBoxWeights() != null ? t.rpnBoxWeights() : TaoConventions.RPN_BOX_WEIGHTS.clone());
        var boxRoi = roiAlign(p, m, p.hasBoxRoiSize() ? p.getBoxRoiSize() : TaoConventions.BOX_ROI_SIZE);
        var boxHead = new MaskRcnnConfig.BoxHead(m.getFastRcnnMlpHeadDim(), yxhwToXywh(t.bboxRegWeights()),
                p.hasBoxScoreThreshold() ? p.getBoxScoreThreshold() : TaoConventions.BOX_SCORE_THRESHOLD,
                decimal(m.getTestNms()), m.getTestDetectionsPerImage(),
                p.hasBoxMinSize() ? p.getBoxMinSize() : TaoConventions.BOX_MIN_SIZE);
        MaskRcnnConfig.MaskHead maskHead = null;
        if (m.getIncludeMask()) {
            maskHead = new MaskRcnnConfig.MaskHead(roiAlign(p, m, m.getMrcnnResolution() / 2),
                    p.hasMaskHeadConvs() ? p.getMaskHeadConvs() : TaoConventions.MASK_HEAD_CONVS,
                    p.hasMaskHeadChannels() ? p.getMaskHeadChannels() : TaoConventions.MASK_HEAD_CHANNELS);
        }
        var input = new MaskRcnnConfig.Input(t.imageWidth(), t.imageHeight(),
                p.getResize() == PeoplesegConfig.Resize.MIN_MAX ? MaskRcnnConfig.Input.Resize.MIN_MAX : MaskRcnnConfig.Input.Resize.FIT_PAD,
                t.pixelMean() != null ? t.pixelMean() : TaoConventions.PIXEL_MEAN.clone(),
                t.pixelStd() != null ? t.pixelStd() : TaoConventions.PIXEL_STD.clone());
        return new MaskRcnnConfig(backbone, fpn, anchors, rpn, boxRoi, boxHead, maskHead, input, d.getNumClasses());
    }

    /** TAO's anchor sizes: {@code anchor_scale * 2^level * 2^(s / num_scales)}, per level from min to max. */
    static List<double[]> taoAnchorSizes(int anchorScale, int numScales, int minLevel, int maxLevel) {
        List<double[]> sizes = new ArrayList<>();
        for (int level = minLevel; level <= maxLevel; level++) {
            double[] s = new double[numScales];
            for (int octave = 0; octave < numScales; octave++) {
                s[octave] = anchorScale * Math.pow(2, level) * Math.pow(2, (double) octave / numScales);
            }
            sizes.add(s);
        }
        return sizes;
    }

    /** TAO writes box-coding weights as (y, x, h, w); peopleseg and torchvision use (x, y, w, h). Its own inverse. */
    static double[] yxhwToXywh(double[] w) {
        return new double[] {w[1], w[0], w[3], w[2]};
    }

    /** The double a reader of the spec means by a float field: its shortest decimal form. */
    public static double decimal(float f) {
        return Double.parseDouble(Float.toString(f));
    }

    private static MaskRcnnConfig.RoiAlign roiAlign(PeoplesegConfig p, MaskRCNNConfig m, int outputSize) {
        return new MaskRcnnConfig.RoiAlign(outputSize,
                p.hasRoiSamplingRatio() ? p.getRoiSamplingRatio() : TaoConventions.ROI_SAMPLING_RATIO,
                p.hasRoiAligned() ? p.getRoiAligned() : TaoConventions.ROI_ALIGNED,
                p.hasRoiMinLevel() ? p.getRoiMinLevel() : m.getMinLevel(),
                p.hasRoiMaxLevel() ? p.getRoiMaxLevel() : m.getMaxLevel(),
                p.hasRoiCanonicalScale() ? p.getRoiCanonicalScale() : TaoConventions.ROI_CANONICAL_SCALE,
                p.hasRoiCanonicalLevel() ? p.getRoiCanonicalLevel() : TaoConventions.ROI_CANONICAL_LEVEL);
    }
}
