package org.peopleseg.serve;

import java.util.List;
import java.util.Set;

/**
 * A v2 inference request as both protocols carry it: the model, the image, and which outputs to return.
 *
 * @param id            the client's request id, echoed back ("" for none)
 * @param outputs       the outputs asked for, in order; empty for all
 * @param binaryOutputs outputs to return through the binary data extension (HTTP only)
 */
record InferenceRequest(String model, String version, String id, ImageInput image, List<String> outputs,
                        Set<String> binaryOutputs) {
    InferenceRequest {
        outputs = List.copyOf(outputs);
        binaryOutputs = Set.copyOf(binaryOutputs);
    }
}
