package org.peopleseg.train.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.models.maskrcnn.WeightTensor;
import org.peopleseg.train.net.TrainableModel;
import org.peopleseg.train.net.maskrcnn.Freezing;
import org.peopleseg.train.net.maskrcnn.MaskRcnnTrainable;
import org.peopleseg.train.net.maskrcnn.MaskTargetRule;
import org.peopleseg.train.net.maskrcnn.StartWeights;
import org.peopleseg.train.spec.TrainingConfig;

/**
 * The Mask R-CNN as the trainer builds it. Mask targets follow the spec's convention: TAO's rule
 * ({@code gt_mask_size} crops resampled to {@code mrcnn_resolution}, binarised) for a TAO spec, torchvision's
 * ({@code roi_align} of the full-resolution mask) when the spec takes torchvision's conventions
 * ({@code peopleseg_config.resize: MIN_MAX}).
 */
public final class MaskRcnnModels implements ModelFactory {

    @Override
    public TrainableModel create(TrainingConfig config, Map<String, WeightTensor> weights, long stepsDone) {
        MaskRcnnConfig model = config.model();
        Map<String, WeightTensor> w = weights != null ? weights : StartWeights.scratch(model, config.schedule().seed());
        List<Integer> blocks = new ArrayList<>();
        for (int b : config.freezeBlocks()) {
            blocks.add(b);
        }
        MaskTargetRule rule = maskRule(model);
        MaskRcnnTrainable net = new MaskRcnnTrainable(model, config.rules(), Freezing.of(blocks, config.freezeBn()),
                rule, w);
        net.seekSampling(stepsDone);
        return net;
    }

    static MaskTargetRule maskRule(MaskRcnnConfig model) {
        return model.input().resize() == MaskRcnnConfig.Input.Resize.MIN_MAX ? MaskTargetRule.TORCHVISION
                : MaskTargetRule.TAO_GT_CROP;
    }
}
