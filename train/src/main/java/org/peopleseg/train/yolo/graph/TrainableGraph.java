package org.peopleseg.train.yolo.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peopleseg.runtime.onnx.TensorData;
import org.peopleseg.runtime.onnx.proto.Onnx.GraphProto;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.runtime.onnx.proto.Onnx.NodeProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto;

/**
 * An ONNX graph translated node by node into DJL operations (onnx2torch's approach: the package's own graph is the
 * architecture, nothing is re-typed), so it can be run forward to any of its values and trained.
 *
 * <p>Which initializers train: the weights and biases of the Conv / ConvTranspose nodes upstream of the values the
 * loss reads ({@code trainOutputs}); every other initializer (anchor centres, stride normalisers, the DFL projection
 * [0..15], shapes, indices) stays a constant. There is no BatchNorm to train: the TFLite export folded each BN into
 * the preceding conv (w' = w * gamma / sqrt(var + eps), b' = beta + (b - mean) * gamma / sqrt(var + eps)), so the
 * BN's learned shift lives in the conv bias and its statistics are gone. Fine-tuning therefore behaves like TAO's
 * {@code freeze_bn: True} / a model in eval-mode BN: no running statistics to update, normalisation fixed at the
 * pretrained values, the affine part trainable through the conv weights and biases.
 *
 * <p>Arrays: weights and constants live in the manager given to {@link #translate}; every array a forward pass makes
 * is attached to the step manager passed to {@link #forward}, so closing that manager frees the step.
 */
public final class TrainableGraph implements AutoCloseable {
    private final ModelProto model;
    private final NDManager manager;
    private final List<NodeProto> nodes;
    private final Map<String, Integer> producer = new HashMap<>();
    private final Map<String, NDArray> constants = new HashMap<>();
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final Map<String, long[]> intConstants = new HashMap<>();
    private final Set<NDArray> owned = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Set<String>, boolean[]> plans = new HashMap<>();
    private final OpRegistry ops = OpRegistry.standard();
    private final String input;

    private TrainableGraph(ModelProto model, NDManager parent, Collection<String> trainOutputs) {
        this.model = model;
        this.manager = parent.newSubManager();
        GraphProto g = model.getGraph();
        this.nodes = g.getNodeList();
        Set<String> inits = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            inits.add(t.getName());
        }
        String in = null;
        for (var v : g.getInputList()) {
            if (!inits.contains(v.getName())) {
                if (in != null) {
                    throw new IllegalArgumentException("the graph has more than one input: " + in + ", " + v.getName());
                }
                in = v.getName();
            }
        }
        if (in == null) {
            throw new IllegalArgumentException("the graph has no input");
        }
        this.input = in;
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            if (ops.get(n.getOpType()) == null && !n.getOpType().equals("Constant")) {
                throw new IllegalArgumentException("ONNX operator " + n.getOpType() + " (node " + n.getName()
                        + ") has no DJL translation; known: " + ops.known());
            }
            for (String o : n.getOutputList()) {
                producer.put(o, i);
            }
        }
        Set<String> trainable = new HashSet<>();
        boolean[] upstream = plan(new HashSet<>(trainOutputs));
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            if (upstream[i] && (n.getOpType().equals("Conv") || n.getOpType().equals("ConvTranspose"))) {
                for (int k = 1; k < n.getInputCount(); k++) {
                    if (inits.contains(n.getInput(k))) {
                        trainable.add(n.getInput(k));
                    }
                }
            }
        }
        for (TensorProto t : g.getInitializerList()) {
            if (TensorData.isFloat(t)) {
                NDArray a = manager.create(TensorData.floats(t), new Shape(TensorData.dims(t)));
                a.setName(t.getName());
                owned.add(a);
                (trainable.contains(t.getName()) ? parameters : constants).put(t.getName(), a);
            } else {
                long[] v = TensorData.longs(t);
                intConstants.put(t.getName(), v);
                NDArray a = manager.create(v, new Shape(TensorData.dims(t)));
                owned.add(a);
                constants.put(t.getName(), a);
            }
        }
        for (NodeProto n : nodes) {
            if (n.getOpType().equals("Constant")) {
                TensorProto t = new NodeAttributes(n).raw("value").getT();
                NDArray a;
                if (TensorData.isFloat(t)) {
                    a = manager.create(TensorData.floats(t), new Shape(TensorData.dims(t)));
                } else {
                    long[] v = TensorData.longs(t);
                    intConstants.put(n.getOutput(0), v);
                    a = manager.create(v, new Shape(TensorData.dims(t)));
                }
                owned.add(a);
                constants.put(n.getOutput(0), a);
            }
        }
    }

    /**
     * Translates {@code model}; its arrays live in a sub-manager of {@code parent} (closed by {@link #close}).
     *
     * @param trainOutputs the values a loss will read: the convolutions upstream of them become parameters
     * @throws IllegalArgumentException an operator without a translation (named), or several graph inputs
     */
    public static TrainableGraph translate(ModelProto model, NDManager parent, Collection<String> trainOutputs) {
        return new TrainableGraph(model, parent, trainOutputs);
    }

    /** The graph's image input name. */
    public String inputName() {
        return input;
    }

    /** The trainable weights and biases, by initializer name, in graph order. */
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** A float or integer constant of the graph (initializer or Constant node output). */
    public NDArray constant(String name) {
        return constants.get(name);
    }

    /** The nodes, in the graph's (topological) order. */
    public List<NodeProto> nodes() {
        return nodes;
    }

    /** The index of the node that produces {@code value}, or -1 for inputs and initializers. */
    public int producerOf(String value) {
        return producer.getOrDefault(value, -1);
    }

    /**
     * Runs the graph on {@code images} up to {@code outputs}, computing only the nodes they need.
     *
     * @param step owns every array made here (outputs included); close it to free the step
     */
    public Map<String, NDArray> forward(NDArray images, Collection<String> outputs, NDManager step) {
        boolean[] needed = plans.computeIfAbsent(Set.copyOf(outputs), this::plan);
        Map<String, NDArray> values = new HashMap<>();
        values.put(input, images);
        for (int i = 0; i < nodes.size(); i++) {
            if (!needed[i]) {
                continue;
            }
            NodeProto n = nodes.get(i);
            if (n.getOpType().equals("Constant")) {
                continue;
            }
            NDArray[] in = new NDArray[n.getInputCount()];
            for (int k = 0; k < in.length; k++) {
                String name = n.getInput(k);
                if (name.isEmpty()) {
                    continue;
                }
                NDArray v = values.get(name);
                if (v == null) {
                    v = parameters.get(name);
                }
                if (v == null) {
                    v = constants.get(name);
                }
                if (v == null) {
                    throw new IllegalStateException("value " + name + " (input of " + n.getOpType() + " " + n.getName()
                            + ") is not available");
                }
                in[k] = v;
            }
            NDArray[] out = ops.get(n.getOpType()).apply(new NodeCall(n, in, intConstants, step));
            for (int k = 0; k < out.length && k < n.getOutputCount(); k++) {
                NDArray o = out[k];
                // An op whose first operand is a constant puts its result in the weights' manager: move it.
                if (!owned.contains(o) && o.getManager() != step) {
                    o.attach(step);
                }
                values.put(n.getOutput(k), o);
            }
        }
        Map<String, NDArray> result = new LinkedHashMap<>();
        for (String o : outputs) {
            NDArray v = values.get(o);
            if (v == null) {
                throw new IllegalArgumentException("the graph has no value named " + o);
            }
            result.put(o, v);
        }
        return result;
    }

    /** Which nodes the values {@code outputs} depend on. */
    private boolean[] plan(Set<String> outputs) {
        boolean[] needed = new boolean[nodes.size()];
        ArrayDeque<String> todo = new ArrayDeque<>(outputs);
        while (!todo.isEmpty()) {
            Integer p = producer.get(todo.pop());
            if (p == null || needed[p]) {
                continue;
            }
            needed[p] = true;
            for (String s : nodes.get(p).getInputList()) {
                if (!s.isEmpty()) {
                    todo.push(s);
                }
            }
        }
        return needed;
    }

    /**
     * The model with every parameter's current values written back into its initializer (same names, shapes and
     * graph), so the result is an ordinary package for every command that reads one.
     */
    public ModelProto withTrainedWeights() {
        return writeWeightsInto(model);
    }

    /**
     * {@code target} with every parameter's values written into its initializer of the same name. Conv weights do
     * not depend on the input size, so a package imported from the same source at another size (the graph a
     * smaller, faster training run used) takes them unchanged; a missing name or another shape is an error.
     */
    public ModelProto writeWeightsInto(ModelProto target) {
        Set<String> written = new HashSet<>();
        ModelProto.Builder b = target.toBuilder();
        GraphProto.Builder g = b.getGraphBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            NDArray p = parameters.get(t.getName());
            if (p == null) {
                continue;
            }
            if (!java.util.Arrays.equals(TensorData.dims(t), p.getShape().getShape())) {
                throw new IllegalArgumentException("initializer " + t.getName() + " has shape "
                        + java.util.Arrays.toString(TensorData.dims(t)) + " in the target, " + p.getShape()
                        + " in training: not the same model");
            }
            written.add(t.getName());
            float[] v = p.toFloatArray();
            ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(v);
            g.setInitializer(i, t.toBuilder().clearFloatData().setRawData(ByteString.copyFrom(buf.array())));
        }
        if (written.size() != parameters.size()) {
            Set<String> missing = new java.util.TreeSet<>(parameters.keySet());
            missing.removeAll(written);
            throw new IllegalArgumentException("the target graph lacks " + missing.size() + " trained weights, e.g. "
                    + missing.iterator().next() + ": not the same model");
        }
        return b.build();
    }

    @Override
    public void close() {
        manager.close();
    }
}
