package org.peopleseg.train.checkpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peopleseg.models.maskrcnn.WeightTensor;

/**
 * Everything a run needs to continue exactly: the completed step count (the data order and the learning rate are
 * functions of it and the seed), the weights under their state_dict names, and the optimiser's velocity per
 * trainable parameter, in the order of {@code TrainableModel.trainableParameters()}.
 *
 * @param step          steps completed
 * @param seed          the run's seed (a resume with another seed is refused)
 * @param specSha256    hash of the spec text the run started with (a resume with another spec is refused)
 * @param weights       all weights, trainable or frozen
 * @param parameterNames names of the trainable parameters, in optimiser order
 * @param velocity      one buffer per trainable parameter (null before its first update)
 * @param losses        the last step's losses, for the log (name to value)
 */
public record TrainingState(long step, long seed, String specSha256, Map<String, WeightTensor> weights,
        List<String> parameterNames, List<float[]> velocity, Map<String, Double> losses) {
    public TrainingState {
        weights = new LinkedHashMap<>(weights);
        parameterNames = List.copyOf(parameterNames);
        velocity = new ArrayList<>(velocity);
        losses = new LinkedHashMap<>(losses);
        if (velocity.size() != parameterNames.size()) {
            throw new IllegalArgumentException(velocity.size() + " optimiser buffers for " + parameterNames.size() + " parameters");
        }
    }
}
