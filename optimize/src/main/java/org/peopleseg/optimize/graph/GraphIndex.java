package org.peopleseg.optimize.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peopleseg.runtime.onnx.proto.Onnx.GraphProto;
import org.peopleseg.runtime.onnx.proto.Onnx.NodeProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto;
import org.peopleseg.runtime.onnx.proto.Onnx.ValueInfoProto;

/** Who produces and who consumes each value of a graph, and which values are initializers (constants). */
public final class GraphIndex {
    private final GraphProto graph;
    private final Map<String, NodeProto> producer = new HashMap<>();
    private final Map<String, NodeProto> byName = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final Map<String, TensorProto> initializers = new HashMap<>();
    private final Set<String> graphOutputs = new HashSet<>();
    private final Set<String> graphInputs = new HashSet<>();

    public GraphIndex(GraphProto graph) {
        this.graph = graph;
        for (NodeProto n : graph.getNodeList()) {
            byName.put(n.getName(), n);
            for (String out : n.getOutputList()) {
                producer.put(out, n);
            }
            for (String in : n.getInputList()) {
                if (!in.isEmpty()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
        }
        for (TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        for (ValueInfoProto v : graph.getOutputList()) {
            graphOutputs.add(v.getName());
        }
        for (ValueInfoProto v : graph.getInputList()) {
            graphInputs.add(v.getName());
        }
    }

    public GraphProto graph() {
        return graph;
    }

    public NodeProto producer(String value) {
        return producer.get(value);
    }

    public NodeProto node(String name) {
        return byName.get(name);
    }

    public List<NodeProto> consumers(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    public TensorProto initializer(String name) {
        return initializers.get(name);
    }

    public boolean isInitializer(String name) {
        return initializers.containsKey(name);
    }

    public boolean isGraphOutput(String value) {
        return graphOutputs.contains(value);
    }

    public boolean isGraphInput(String value) {
        return graphInputs.contains(value);
    }
}
