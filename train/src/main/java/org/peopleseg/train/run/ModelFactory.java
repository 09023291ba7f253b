package org.peopleseg.train.run;

import org.peopleseg.train.net.TrainableModel;
import org.peopleseg.train.spec.TrainingConfig;

/** Builds the network to train from the resolved config (initialised weights; start weights are loaded after). */
@FunctionalInterface
public interface ModelFactory {
    TrainableModel create(TrainingConfig config);
}
