package org.peopleseg.train.yolo.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.peopleseg.runtime.onnx.TensorData;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.runtime.onnx.proto.Onnx.NodeProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto;

/**
 * Where in an imported YOLO-seg graph the raw head outputs are, found by structure, not by name.
 *
 * <p>Ultralytics' Detect head concatenates, per level, 4 x reg_max box-distribution logits and the class logits, and
 * all levels along the anchor axis: the value {@link #raw} [1, 4 * reg_max + classes, anchors]. The exported graph
 * then slices it twice: channels [0, 4 * reg_max) go Reshape -> Transpose -> <b>Softmax</b> -> a 1x1 Conv whose
 * weight is [0, 1, ..., reg_max - 1] (the DFL expectation) -> times the stride normaliser -> anchor centre -/+ the
 * distances -> centre and size; channels [4 * reg_max, ...) go through a <b>Sigmoid</b> into the detections Concat,
 * which also takes the mask coefficients ({@link #coefficients} [1, M, anchors]). The prototypes ({@link #protos},
 * [1, M, Hp, Wp] NCHW) are the value the output Transpose to NHWC reads. The loss needs the logits before the
 * softmax and the sigmoid, so training cuts the graph at {@code raw}, {@code coefficients} and {@code protos}: the
 * DFL softmax, its projection conv and the box decoding are never trained (as in Ultralytics, whose DFL conv has
 * requires_grad False) and are reproduced in the loss instead.
 *
 * @param raw          [1, 4 * regMax + allClasses, anchors] logits before the DFL softmax and the class sigmoid
 * @param coefficients [1, M, anchors] mask coefficients
 * @param protos       [1, M, Hp, Wp] prototypes (NCHW)
 * @param regMax       DFL bins per side (16)
 * @param classRows    the raw channels of the package's classes, in label order (the package's Gather)
 * @param projection   the initializer holding the DFL projection (the bin values; int8-dequantised in imported
 *                     packages: 0, 0.945, 2.008, ... rather than exact integers)
 */
public record YoloSegHead(String raw, String coefficients, String protos, int regMax, int[] classRows,
                          String projection) {

    /** Finds the head in {@code model}, an imported yolo-seg package. */
    public static YoloSegHead find(ModelProto model) {
        List<NodeProto> nodes = model.getGraph().getNodeList();
        java.util.Map<String, NodeProto> byOutput = new java.util.HashMap<>();
        java.util.Map<String, List<NodeProto>> consumers = new java.util.HashMap<>();
        java.util.Map<String, TensorProto> inits = new java.util.HashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            inits.put(t.getName(), t);
        }
        for (NodeProto n : nodes) {
            for (String o : n.getOutputList()) {
                byOutput.put(o, n);
            }
            for (String i : n.getInputList()) {
                consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
            }
        }
        NodeProto softmax = null;
        int regMax = 0;
        String projection = null;
        for (NodeProto n : nodes) {
            if (!n.getOpType().equals("Softmax")) {
                continue;
            }
            NodeProto proj = follow(n.getOutput(0), consumers, "Conv");
            if (proj != null && inits.containsKey(proj.getInput(1))) {
                long[] d = TensorData.dims(inits.get(proj.getInput(1)));
                float[] w = TensorData.floats(inits.get(proj.getInput(1)));
                if (d.length == 4 && d[0] == 1 && d[2] == 1 && d[3] == 1 && isRange(w)) {
                    softmax = n;
                    regMax = w.length;
                    projection = proj.getInput(1);
                }
            }
        }
        if (softmax == null) {
            throw new IllegalArgumentException("no DFL softmax (Softmax -> 1x1 Conv with weights 0..reg_max-1) found:"
                    + " not an Ultralytics YOLO detection head");
        }
        NodeProto n = byOutput.get(softmax.getInput(0));
        while (n != null && (n.getOpType().equals("Transpose") || n.getOpType().equals("Reshape"))) {
            n = byOutput.get(n.getInput(0));
        }
        if (n == null || !n.getOpType().equals("Slice")) {
            throw new IllegalArgumentException("the DFL softmax does not read a slice of the head output");
        }
        String raw = n.getInput(0);
        NodeProto sigmoid = null;
        for (NodeProto c : consumers.getOrDefault(raw, List.of())) {
            if (c.getOpType().equals("Slice") && c != n) {
                NodeProto s = follow(c.getOutput(0), consumers, "Sigmoid");
                if (s != null) {
                    sigmoid = s;
                }
            }
        }
        if (sigmoid == null) {
            throw new IllegalArgumentException("no class-logit slice -> Sigmoid found after " + raw);
        }
        NodeProto det = follow(sigmoid.getOutput(0), consumers, "Concat");
        if (det == null || det.getInputCount() != 4 || !det.getInput(2).equals(sigmoid.getOutput(0))) {
            throw new IllegalArgumentException("the class sigmoid does not feed a [centre, size, scores, coefficients]"
                    + " Concat");
        }
        String coefficients = det.getInput(3);
        NodeProto clsSlice = byOutput.get(sigmoid.getInput(0));
        long[] starts = TensorData.longs(inits.get(clsSlice.getInput(1)));
        long[] ends = TensorData.longs(inits.get(clsSlice.getInput(2)));
        long[] axes = clsSlice.getInputCount() > 3 ? TensorData.longs(inits.get(clsSlice.getInput(3))) : null;
        int channelAxis = 0;
        for (int i = 0; i < starts.length; i++) {
            if ((axes == null ? i : axes[i]) == 1) {
                channelAxis = i;
            }
        }
        int firstClass = (int) starts[channelAxis];
        if (firstClass != 4 * regMax) {
            throw new IllegalArgumentException("class logits start at channel " + firstClass + ", expected 4 x "
                    + regMax);
        }
        long allClasses = ends[channelAxis] - firstClass;
        if (allClasses <= 0 || allClasses > 100_000) {
            throw new IllegalArgumentException("the class slice's end (" + ends[channelAxis] + ") does not say how"
                    + " many classes the head has");
        }
        // Classes: the package's Gather after the Concat picks rows 4 + k (then the coefficients); without one,
        // every class.
        NodeProto gather = follow(det.getOutput(0), consumers, "Gather");
        List<Integer> rows = new ArrayList<>();
        if (gather != null) {
            for (long r : TensorData.longs(inits.get(gather.getInput(1)))) {
                if (r >= 4 && r < 4 + allClasses) {
                    rows.add((int) (firstClass + r - 4));
                }
            }
        } else {
            for (int k = 0; k < allClasses; k++) {
                rows.add(firstClass + k);
            }
        }
        int[] classRows = rows.stream().mapToInt(Integer::intValue).toArray();
        String protos = null;
        for (var out : model.getGraph().getOutputList()) {
            NodeProto p = byOutput.get(out.getName());
            while (p != null && (p.getOpType().equals("Identity") || p.getOpType().equals("Transpose"))) {
                String src = p.getInput(0);
                p = byOutput.get(src);
                if (p != null && !p.getOpType().equals("Identity") && !p.getOpType().equals("Transpose")) {
                    protos = src;
                }
            }
        }
        if (protos == null) {
            throw new IllegalArgumentException("no prototype output found (a segmentation package has two outputs)");
        }
        return new YoloSegHead(raw, coefficients, protos, regMax, classRows, projection);
    }

    private static NodeProto follow(String value, java.util.Map<String, List<NodeProto>> consumers, String op) {
        ArrayDeque<String> todo = new ArrayDeque<>(List.of(value));
        int steps = 0;
        while (!todo.isEmpty() && steps++ < 8) {
            for (NodeProto c : consumers.getOrDefault(todo.pop(), List.of())) {
                if (c.getOpType().equals(op)) {
                    return c;
                }
                if (c.getOpType().equals("Transpose") || c.getOpType().equals("Reshape")
                        || c.getOpType().equals("Identity")) {
                    todo.add(c.getOutput(0));
                }
            }
        }
        return null;
    }

    private static boolean isRange(float[] w) {
        for (int i = 0; i < w.length; i++) {
            if (Math.abs(w[i] - i) > 0.1f) { // int8-dequantised: 0, 0.945, 2.008, ... (scale 15/127)
                return false;
            }
        }
        return w.length > 1;
    }
}
