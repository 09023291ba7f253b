package org.peopleseg.train.yolo.graph;

import ai.djl.ndarray.NDArray;

/**
 * Translates one ONNX operator to DJL operations, as tf2onnx's {@code @tf_op} handlers and onnx2torch's converters
 * do: one small handler per operator type, registered by name in {@link OpRegistry}. Every operation is
 * differentiable where the ONNX one is, so the translated graph trains.
 */
@FunctionalInterface
interface OpHandler {
    /** @return the node's outputs, in order */
    NDArray[] apply(NodeCall call);
}
