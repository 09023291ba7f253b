package org.peopleseg.train.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.models.spec.TaoSpec;
import org.peopleseg.train.net.TrainingRules;

/**
 * A TAO experiment resolved for training: the network (the same {@link MaskRcnnConfig} the ONNX package is built
 * from), the schedule, the data, the training rules of {@code maskrcnn_config}, and what to freeze. Made by
 * {@link TrainingSpecs#resolve}; a {@code Trainer} is built from this alone.
 *
 * @param spec         the parsed spec (its text goes into the trained package's metadata)
 * @param model        the architecture
 * @param schedule     optimiser and schedule
 * @param data         the data
 * @param rules        anchor matching, sampling, loss weights
 * @param freezeBlocks {@code freeze_blocks}: ResNet blocks not trained (0 = stem, 1..4 = C2..C5)
 * @param freezeBn     {@code freeze_bn}: batch norm statistics and affine parameters fixed
 * @param startWeights a torchvision checkpoint to start from, or null (the network's own initialisation)
 * @param notes        what the resolution decided on its own (defaults used, fields superseded), to print
 */
public record TrainingConfig(TaoSpec spec, MaskRcnnConfig model, Schedule schedule, DataSettings data,
        TrainingRules rules, int[] freezeBlocks, boolean freezeBn, Path startWeights, List<String> notes) {

    public TrainingConfig {
        Objects.requireNonNull(spec);
        Objects.requireNonNull(model);
        Objects.requireNonNull(schedule);
        Objects.requireNonNull(data);
        Objects.requireNonNull(rules);
        freezeBlocks = freezeBlocks.clone();
        notes = List.copyOf(notes);
    }

    @Override
    public int[] freezeBlocks() {
        return freezeBlocks.clone();
    }

    public TrainingConfig withSchedule(Schedule s) {
        return new TrainingConfig(spec, model, s, data, rules, freezeBlocks, freezeBn, startWeights, notes);
    }
}
