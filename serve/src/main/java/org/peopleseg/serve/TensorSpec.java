package org.peopleseg.serve;

import java.util.List;

/** A tensor as model metadata describes it (-1 marks a dimension that varies per request). */
record TensorSpec(String name, String datatype, long[] shape) {
    static final String PLATFORM = "onnxruntime_onnx";

    /** The one input: an encoded image (UINT8 [H, W, 3] pixels are accepted under the same name). */
    static final List<TensorSpec> INPUTS = List.of(new TensorSpec("image", "BYTES", new long[] {1}));

    static final List<TensorSpec> OUTPUTS = List.of(
            new TensorSpec("boxes", "FP32", new long[] {-1, 4}),
            new TensorSpec("scores", "FP32", new long[] {-1}),
            new TensorSpec("labels", "INT64", new long[] {-1}),
            new TensorSpec("masks", "BYTES", new long[] {-1}));

    /** The v2 extensions this server implements (Triton's names). */
    static final List<String> EXTENSIONS = List.of("binary_tensor_data", "model_repository");
}
