package org.peopleseg.train.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.peopleseg.models.maskrcnn.WeightTensor;

/** Evaluates the weights of a checkpoint on the validation set, writing its files into {@code dir}. */
public interface CheckpointEvaluator {

    /**
     * @return the headline numbers (COCO stat name or KPI name to value), also written to {@code dir}
     */
    Map<String, Double> evaluate(long step, Map<String, WeightTensor> weights, Path dir) throws IOException;
}
