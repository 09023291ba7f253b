package org.peopleseg.models.spec;

import java.util.List;
import java.util.Objects;
import org.peopleseg.models.spec.proto.Experiment;

/**
 * A parsed and validated TAO MaskRCNN experiment spec: the protobuf message exactly as written, plus the values TAO
 * keeps as Python literals in strings, already parsed. Only {@link SpecParser} makes these, so holding one means
 * every check has passed and {@link SpecResolver} cannot fail on it.
 *
 * @param source     where the text came from (file name), for messages
 * @param text       the spec text as read
 * @param experiment the message; {@code maskrcnn_config} and {@code data_config} are present
 * @param tuples     the string-typed tuple fields, parsed
 * @param notes      what the parser completed on its own (a missing data_config), to tell the user
 */
public record TaoSpec(String source, String text, Experiment experiment, Tuples tuples, List<String> notes) {

    public TaoSpec {
        Objects.requireNonNull(source);
        Objects.requireNonNull(text);
        Objects.requireNonNull(experiment);
        Objects.requireNonNull(tuples);
        notes = List.copyOf(notes);
    }

    /**
     * The tuple-valued string fields. TAO's own fields are always present here (empty arrays for the optional
     * training lists); the {@code peopleseg_config} overrides are null when the spec does not set them.
     *
     * @param imageHeight            {@code data_config.image_size[0]}
     * @param imageWidth             {@code data_config.image_size[1]}
     * @param aspectRatios           {@code maskrcnn_config.aspect_ratios}: (width, height) multipliers
     * @param bboxRegWeights         {@code maskrcnn_config.bbox_reg_weights} as written, TAO's (y, x, h, w) order
     * @param freezeBlocks           {@code maskrcnn_config.freeze_blocks}
     * @param learningRateSteps      {@code learning_rate_steps}
     * @param learningRateDecayLevels {@code learning_rate_decay_levels}
     * @param anchorSizes            {@code peopleseg_config.anchor_sizes}: sizes per level, or null
     * @param rpnBoxWeights          {@code peopleseg_config.rpn_box_weights} (x, y, w, h), or null
     * @param pixelMean              {@code peopleseg_config.pixel_mean}, or null
     * @param pixelStd               {@code peopleseg_config.pixel_std}, or null
     */
    public record Tuples(int imageHeight, int imageWidth, List<double[]> aspectRatios, double[] bboxRegWeights,
                         int[] freezeBlocks, double[] learningRateSteps, double[] learningRateDecayLevels,
                         List<double[]> anchorSizes, double[] rpnBoxWeights, double[] pixelMean, double[] pixelStd) {}
}
