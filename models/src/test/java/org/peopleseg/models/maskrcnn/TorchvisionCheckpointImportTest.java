package org.peopleseg.models.maskrcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.peopleseg.models.torch.TorchCheckpoint;
import org.peopleseg.models.torch.TorchTensor;

/**
 * The whole import path on a real torch.save file: a torchvision Mask R-CNN state_dict holding the deterministic
 * weights (written by tools/fixtures/maskrcnn/save_deterministic_checkpoint.py, ~170 MB, so not committed) must
 * adapt to exactly the tensors {@link DeterministicWeights} makes. Runs when PEOPLESEG_MASKRCNN_CHECKPOINT names
 * such a file (2 classes, modern or --legacy names).
 */
class TorchvisionCheckpointImportTest {
    @Test
    void checkpointAdaptsToTheDeterministicWeights() throws Exception {
        String env = System.getenv("PEOPLESEG_MASKRCNN_CHECKPOINT");
        Assumptions.assumeTrue(env != null && Files.isRegularFile(Path.of(env)),
                "set PEOPLESEG_MASKRCNN_CHECKPOINT to a file made by save_deterministic_checkpoint.py to run this");
        Map<String, WeightTensor> sd = new LinkedHashMap<>();
        for (Map.Entry<String, TorchTensor> e : TorchCheckpoint.readStateDict(Path.of(env)).entrySet()) {
            if (e.getValue().dtype().isFloatingPoint()) {
                sd.put(e.getKey(), new WeightTensor(e.getValue().shape(), e.getValue().toFloats()));
            }
        }
        MaskRcnnConfig config = TestConfigs.torchvision(576, 960, 2);
        Map<String, WeightTensor> adapted = StateDictImport.adapt(config, sd, null);
        Map<String, WeightTensor> expected = DeterministicWeights.forConfig(config);
        assertEquals(expected.keySet(), adapted.keySet());
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name).shape(), adapted.get(name).shape(), name);
            assertArrayEquals(expected.get(name).values(), adapted.get(name).values(), name);
        }
    }
}
