package org.peopleseg.optimize.graph;

/**
 * One layer the quantiser turns into an integer kernel: a Conv or Gemm with constant weights.
 *
 * @param node       the node's name (unique in the graph)
 * @param opType     "Conv" or "Gemm"
 * @param input      its activation input (quantised uint8)
 * @param weight     the weight initializer (quantised int8, per output channel)
 * @param bias       the bias initializer, or null (quantised int32 at scale input x weight)
 * @param output     the value quantised after it: the node's output, or the output of the Relu that alone consumes
 *                   it (ONNX Runtime drops a Relu before a QuantizeLinear with zero point 0)
 */
public record QuantLayer(String node, String opType, String input, String weight, String bias, String output) {
}
