package org.peopleseg.train.net;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.Map;
import org.peopleseg.models.maskrcnn.WeightTensor;

/**
 * A network the trainer can fit: losses for a batch, the parameters to update, and its weights under the names the
 * package builders read (torchvision state_dict names for Mask R-CNN), so a trained model becomes an ordinary
 * ONNX package.
 */
public interface TrainableModel extends AutoCloseable {
    /**
     * The losses of one batch. Call inside an active {@code GradientCollector}; every array created for the step
     * belongs to {@code step}, which the caller closes after the optimiser update.
     */
    LossTerms losses(NDManager step, TrainingBatch batch);

    /** The parameters the optimiser updates (frozen blocks and frozen batch norm excluded), in a stable order. */
    List<Parameter> trainableParameters();

    /** All weights (trainable or frozen) as plain tensors under their state_dict names. */
    Map<String, WeightTensor> stateDict();

    /** Replace the weights by these (same names and shapes as {@link #stateDict()}). */
    void loadStateDict(Map<String, WeightTensor> weights);

    @Override
    void close();
}
