package org.peopleseg.models.spec;

/**
 * What TAO's MaskRCNN (nvidia_tao_tf1/cv/mask_rcnn) hard-codes rather than reads from the spec. These are the
 * values a {@code peopleseg_config} field takes when it is absent, so a plain TAO spec resolves to TAO's model, and
 * the writer leaves out every {@code peopleseg_config} field that equals them, so a TAO-expressible model renders as
 * a plain TAO spec.
 *
 * <p>Sources in TAO: anchors ({@code models/anchors.py}: centre at stride / 2, scale outer and aspect inner, no
 * rounding); RoIAlign ({@code ops/spatial_transform_ops.py}: one bilinear sample at each bin centre, no half-pixel
 * shift, level floor(log2(sqrt(area) / 224)) + 4 clamped to the pyramid levels that
 * {@code layers/multilevel_crop_resize_layer.py} passes, 2..6); RPN decoding without weights
 * ({@code ops/box_utils.py}); mask head four 3x3 convolutions of 256 channels and FPN of 256 channels
 * ({@code models/heads.py}, {@code models/fpn.py}); ImageNet mean with a single std ({@code ops/preprocess_ops.py}).
 */
final class TaoConventions {

    private TaoConventions() {}

    static final double ANCHOR_CENTER_OFFSET = 0.5;
    static final boolean ANCHOR_RATIO_MAJOR = false;
    static final boolean ANCHOR_ROUND_BASE = false;

    static final double[] RPN_BOX_WEIGHTS = {1, 1, 1, 1};

    static final int BOX_ROI_SIZE = 7;
    static final int ROI_SAMPLING_RATIO = 1;
    static final boolean ROI_ALIGNED = false;
    static final int ROI_CANONICAL_SCALE = 224;
    static final int ROI_CANONICAL_LEVEL = 4;

    /**
     * TAO applies no score threshold before per-class NMS at test time (it keeps the best test_detections_per_image
     * whatever their score); peopleseg drops scores below 0.05 as torchvision and Detectron2 do, which removes only
     * detections no consumer would keep and saves NMS work. Set {@code peopleseg_config.box_score_threshold: 0}
     * for TAO's exact behaviour.
     */
    static final double BOX_SCORE_THRESHOLD = 0.05;
    /** Detections narrower or shorter than this (pixels) are dropped, as torchvision does. */
    static final double BOX_MIN_SIZE = 0.01;

    static final int MASK_HEAD_CONVS = 4;
    static final int MASK_HEAD_CHANNELS = 256;
    static final int FPN_CHANNELS = 256;

    /**
     * TAO subtracts the ImageNet mean but divides every channel by 0.224 ({@code normalize_image}, mode 'th'), not
     * by ImageNet's per-channel std; DeepStream's PeopleSegNet config agrees ({@code net-scale-factor 0.017507} =
     * 1 / (0.224 * 255), {@code offsets 123.675;116.28;103.53}).
     */
    static final double[] PIXEL_MEAN = {0.485, 0.456, 0.406};
    static final double[] PIXEL_STD = {0.224, 0.224, 0.224};

    /** Backbone depths TAO's MaskRCNN builds. */
    static final int[] NLAYERS = {10, 18, 34, 50, 101};
}
