package org.peopleseg.models.spec;

import java.util.Arrays;
import org.peopleseg.models.spec.proto.DataConfig;
import org.peopleseg.models.spec.proto.Experiment;
import org.peopleseg.models.spec.proto.MaskRCNNConfig;
import org.peopleseg.models.spec.proto.PeoplesegConfig;

/**
 * The semantic rules of a spec: what TAO's training script and model builder would reject late (or, worse,
 * silently accept as a broken model), checked up front. proto3 cannot tell "absent" from zero, and TAO reads an
 * absent field as zero, so a zero where the model needs a positive value is reported as "missing or zero".
 *
 * <p>Only what inference needs is required; training-only fields are checked for range when they are set.
 */
final class SpecValidator {

    private final Problems problems;

    private SpecValidator(Problems problems) {
        this.problems = problems;
    }

    static void validate(Experiment e, TaoSpec.Tuples t, Problems problems) {
        SpecValidator v = new SpecValidator(problems);
        if (!e.hasMaskrcnnConfig()) {
            problems.missing("maskrcnn_config", "maskrcnn_config { ... } is missing: it defines the network (nlayers, anchors, heads)");
        } else {
            v.network(e.getMaskrcnnConfig(), e.getPeoplesegConfig(), t);
            v.training(e.getMaskrcnnConfig());
        }
        if (!e.hasDataConfig()) {
            problems.missing("data_config", "data_config { ... } is missing: it defines image_size and num_classes");
        } else {
            v.data(e.getDataConfig(), e.getMaskrcnnConfig(), e.getPeoplesegConfig(), t);
        }
        v.schedule(e, t);
        v.extensions(e.getPeoplesegConfig(), e.getMaskrcnnConfig());
    }

    private void network(MaskRCNNConfig m, PeoplesegConfig p, TaoSpec.Tuples t) {
        String s = "maskrcnn_config.";
        if (!m.getArch().equals("resnet")) {
            problems.field(s + "arch", m.getArch().isEmpty() ? "arch is missing; TAO's MaskRCNN supports only arch: \"resnet\""
                    : "arch \"" + m.getArch() + "\" is not supported; TAO's MaskRCNN supports only \"resnet\"");
        }
        if (Arrays.stream(TaoConventions.NLAYERS).noneMatch(n -> n == m.getNlayers())) {
            problems.field(s + "nlayers", m.getNlayers() == 0 ? "nlayers is missing; use one of 10, 18, 34, 50, 101"
                    : "nlayers " + m.getNlayers() + " is not a ResNet TAO builds; use one of 10, 18, 34, 50, 101");
        }
        if (m.getMinLevel() < 2 || m.getMinLevel() > 5) {
            problems.field(s + "min_level", "min_level must be 2..5 (C2..C5 of the backbone), got " + m.getMinLevel() + missing(m.getMinLevel()));
        }
        if (m.getMaxLevel() < m.getMinLevel() || m.getMaxLevel() > 7) {
            problems.field(s + "max_level", "max_level must be between min_level (" + m.getMinLevel() + ") and 7, got " + m.getMaxLevel());
        }
        if (!p.hasAnchorSizes()) {
            positive(s + "num_scales", m.getNumScales());
            positive(s + "anchor_scale", m.getAnchorScale());
        } else if (t.anchorSizes() != null && m.getMaxLevel() >= m.getMinLevel()
                && t.anchorSizes().size() != m.getMaxLevel() - m.getMinLevel() + 1) {
            problems.field("peopleseg_config.anchor_sizes", "anchor_sizes lists " + t.anchorSizes().size()
                    + " levels but min_level..max_level has " + (m.getMaxLevel() - m.getMinLevel() + 1));
        }
        positive(s + "test_rpn_pre_nms_topn", m.getTestRpnPreNmsTopn());
        positive(s + "test_rpn_post_nms_topn", m.getTestRpnPostNmsTopn());
        positive(s + "test_detections_per_image", m.getTestDetectionsPerImage());
        positive(s + "fast_rcnn_mlp_head_dim", m.getFastRcnnMlpHeadDim());
        // Upper bounds: a spec comes from a stranger as often as a checkpoint does, and each of these sizes a tensor
        // or a loop (10^9 anchors or a 10^9-wide head would exhaust memory long before saying why).
        atMost(s + "num_scales", m.getNumScales(), MAX_SCALES);
        if (t.aspectRatios() != null) {
            atMost(s + "aspect_ratios", t.aspectRatios().size(), MAX_ASPECT_RATIOS);
        }
        atMost(s + "test_rpn_pre_nms_topn", m.getTestRpnPreNmsTopn(), MAX_PROPOSALS);
        atMost(s + "test_rpn_post_nms_topn", m.getTestRpnPostNmsTopn(), MAX_PROPOSALS);
        atMost(s + "test_detections_per_image", m.getTestDetectionsPerImage(), MAX_DETECTIONS);
        atMost(s + "fast_rcnn_mlp_head_dim", m.getFastRcnnMlpHeadDim(), MAX_CHANNELS);
        atMost(s + "mrcnn_resolution", m.getMrcnnResolution(), MAX_MASK_RESOLUTION);
        threshold(s + "test_rpn_nms_thresh", m.getTestRpnNmsThresh(), true);
        threshold(s + "test_nms", m.getTestNms(), true);
        if (m.getRpnMinSize() < 0) {
            problems.field(s + "rpn_min_size", "rpn_min_size must be >= 0, got " + m.getRpnMinSize());
        }
        if (m.getIncludeMask()) {
            if (m.getMrcnnResolution() == 0 || m.getMrcnnResolution() % 2 != 0) {
                problems.field(s + "mrcnn_resolution", "mrcnn_resolution must be a positive even number (the mask head doubles "
                        + "a RoIAlign of half that size), got " + m.getMrcnnResolution() + missing(m.getMrcnnResolution()));
            }
        }
    }

    private void training(MaskRCNNConfig m) {
        String s = "maskrcnn_config.";
        threshold(s + "rpn_positive_overlap", m.getRpnPositiveOverlap(), false);
        threshold(s + "rpn_negative_overlap", m.getRpnNegativeOverlap(), false);
        threshold(s + "rpn_fg_fraction", m.getRpnFgFraction(), false);
        threshold(s + "fg_fraction", m.getFgFraction(), false);
        threshold(s + "fg_thresh", m.getFgThresh(), false);
        threshold(s + "bg_thresh_hi", m.getBgThreshHi(), false);
        threshold(s + "bg_thresh_lo", m.getBgThreshLo(), false);
        threshold(s + "train_rpn_nms_threshold", m.getTrainRpnNmsThreshold(), false);
        if (m.getRpnNegativeOverlap() > m.getRpnPositiveOverlap()) {
            problems.field(s + "rpn_negative_overlap", "rpn_negative_overlap (" + m.getRpnNegativeOverlap()
                    + ") must not exceed rpn_positive_overlap (" + m.getRpnPositiveOverlap() + ")");
        }
        if (m.getBgThreshLo() > m.getBgThreshHi()) {
            problems.field(s + "bg_thresh_lo", "bg_thresh_lo (" + m.getBgThreshLo() + ") must not exceed bg_thresh_hi ("
                    + m.getBgThreshHi() + ")");
        }
    }

    private void data(DataConfig d, MaskRCNNConfig m, PeoplesegConfig p, TaoSpec.Tuples t) {
        String path = "data_config.image_size";
        atMost("data_config.num_classes", d.getNumClasses(), MAX_CLASSES);
        if (d.getNumClasses() < 2) {
            problems.field("data_config.num_classes", "num_classes must count the background too (object classes + 1, so >= 2), got "
                    + d.getNumClasses() + missing(d.getNumClasses()));
        }
        int h = t.imageHeight();
        int w = t.imageWidth();
        if (h == 0 || w == 0) {
            return; // already reported by TupleFields
        }
        if (p.getResize() == PeoplesegConfig.Resize.MIN_MAX) {
            if (h > w) {
                problems.field(path, "with resize MIN_MAX, image_size is (min_size, max_size) and min_size " + h
                        + " must not exceed max_size " + w);
            }
        } else {
            int stride = 1 << Math.max(0, Math.min(m.getMaxLevel(), 16));
            if (m.getMaxLevel() >= m.getMinLevel() && (h % stride != 0 || w % stride != 0)) {
                problems.field(path, "image_size (" + h + ", " + w + ") must be a multiple of the largest feature stride 2^max_level = "
                        + stride + " in both sides (TAO requires it); nearest: (" + roundTo(h, stride) + ", " + roundTo(w, stride) + ")");
            }
        }
        if (h < 32 || w < 32 || h > 8192 || w > 8192) {
            problems.field(path, "image_size sides must be between 32 and 8192 pixels, got (" + h + ", " + w + ")");
        }
    }

    private void schedule(Experiment e, TaoSpec.Tuples t) {
        double[] steps = t.learningRateSteps();
        for (int i = 1; steps != null && i < steps.length; i++) {
            if (steps[i] <= steps[i - 1]) {
                problems.field("learning_rate_steps", "learning_rate_steps must increase, but " + fmt(steps[i]) + " follows " + fmt(steps[i - 1]));
                break;
            }
        }
        double[] decay = t.learningRateDecayLevels();
        if (steps != null && decay != null && steps.length != decay.length) {
            problems.field("learning_rate_decay_levels", "learning_rate_decay_levels has " + decay.length
                    + " values but learning_rate_steps has " + steps.length + "; they pair up one to one");
        }
        if (e.getMomentum() < 0 || e.getMomentum() >= 1) {
            problems.field("momentum", "momentum must be in [0, 1), got " + e.getMomentum());
        }
        for (String f : new String[] {"init_learning_rate", "warmup_learning_rate", "l2_weight_decay", "l1_weight_decay"}) {
            float v = (float) e.getField(Experiment.getDescriptor().findFieldByName(f));
            if (v < 0) {
                problems.field(f, f + " must be >= 0, got " + v);
            }
        }
    }

    private void extensions(PeoplesegConfig p, MaskRCNNConfig m) {
        String s = "peopleseg_config.";
        if (p.hasAnchorCenterOffset() && (p.getAnchorCenterOffset() < 0 || p.getAnchorCenterOffset() > 1)) {
            problems.field(s + "anchor_center_offset", "anchor_center_offset must be in [0, 1] (a fraction of the stride), got "
                    + p.getAnchorCenterOffset());
        }
        if (p.hasBoxRoiSize() && p.getBoxRoiSize() == 0) {
            problems.field(s + "box_roi_size", "box_roi_size must be positive");
        }
        int min = p.hasRoiMinLevel() ? p.getRoiMinLevel() : m.getMinLevel();
        int max = p.hasRoiMaxLevel() ? p.getRoiMaxLevel() : m.getMaxLevel();
        if ((p.hasRoiMinLevel() || p.hasRoiMaxLevel()) && (min < m.getMinLevel() || max > m.getMaxLevel() || min > max)) {
            problems.field(s + (p.hasRoiMaxLevel() ? "roi_max_level" : "roi_min_level"), "RoIAlign levels " + min + ".." + max
                    + " must lie within the pyramid levels " + m.getMinLevel() + ".." + m.getMaxLevel());
        }
        if (p.hasRoiCanonicalScale() && p.getRoiCanonicalScale() == 0) {
            problems.field(s + "roi_canonical_scale", "roi_canonical_scale must be positive");
        }
        if (p.hasBoxScoreThreshold() && (p.getBoxScoreThreshold() < 0 || p.getBoxScoreThreshold() > 1)) {
            problems.field(s + "box_score_threshold", "box_score_threshold must be in [0, 1], got " + p.getBoxScoreThreshold());
        }
        if (p.hasBoxMinSize() && p.getBoxMinSize() < 0) {
            problems.field(s + "box_min_size", "box_min_size must be >= 0, got " + p.getBoxMinSize());
        }
        if (p.hasMaskHeadChannels() && p.getMaskHeadChannels() == 0) {
            problems.field(s + "mask_head_channels", "mask_head_channels must be positive");
        }
        if (p.hasFpnChannels() && p.getFpnChannels() == 0) {
            problems.field(s + "fpn_channels", "fpn_channels must be positive");
        }
        atMost(s + "box_roi_size", p.getBoxRoiSize(), MAX_ROI_SIZE);
        atMost(s + "mask_head_channels", p.getMaskHeadChannels(), MAX_CHANNELS);
        atMost(s + "fpn_channels", p.getFpnChannels(), MAX_CHANNELS);
    }

    /** Limits on sizes (README "Security"): generous multiples of what TAO's and torchvision's models use. */
    static final int MAX_SCALES = 16;
    static final int MAX_ASPECT_RATIOS = 16;
    static final int MAX_PROPOSALS = 100_000;
    static final int MAX_DETECTIONS = 10_000;
    static final int MAX_CHANNELS = 8192;
    static final int MAX_MASK_RESOLUTION = 256;
    static final int MAX_ROI_SIZE = 64;
    static final int MAX_CLASSES = 100_000;

    /** {@code value} read as unsigned: most of these fields are uint32, where 4e9 arrives as a negative int. */
    private void atMost(String path, int value, long max) {
        if (Integer.toUnsignedLong(value) > max) {
            problems.field(path, TupleFields.leaf(path) + " " + Integer.toUnsignedString(value) + " is too large (the limit is " + max + ")");
        }
    }

    private void positive(String path, int value) {
        if (value <= 0) {
            problems.field(path, TupleFields.leaf(path) + " must be positive, got " + value + missing(value));
        }
    }

    /** A fraction in [0, 1]; {@code nonZero} for NMS thresholds, where 0 (TAO's reading of "absent") is never meant. */
    private void threshold(String path, float value, boolean nonZero) {
        if (value < 0 || value > 1 || (nonZero && value == 0)) {
            problems.field(path, TupleFields.leaf(path) + " must be in " + (nonZero ? "(0, 1]" : "[0, 1]") + ", got " + value
                    + (value == 0 ? " (missing?)" : ""));
        }
    }

    private static String missing(long value) {
        return value == 0 ? " (missing?)" : "";
    }

    private static int roundTo(int v, int stride) {
        return Math.max(stride, Math.round((float) v / stride) * stride);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
