package org.peopleseg.train.run;

import java.util.Map;
import org.peopleseg.models.maskrcnn.WeightTensor;
import org.peopleseg.train.net.TrainableModel;
import org.peopleseg.train.spec.TrainingConfig;

/** Builds the network to train from the resolved config. */
@FunctionalInterface
public interface ModelFactory {
    /**
     * @param weights     start or checkpoint weights, or null: the network's own initialisation from the seed
     * @param stepsDone   steps already made (resume): the network's random samplers continue from there
     */
    TrainableModel create(TrainingConfig config, Map<String, WeightTensor> weights, long stepsDone);
}
