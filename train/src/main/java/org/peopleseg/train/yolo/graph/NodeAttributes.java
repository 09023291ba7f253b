package org.peopleseg.train.yolo.graph;

import java.util.HashMap;
import java.util.Map;
import org.peopleseg.runtime.onnx.proto.Onnx.AttributeProto;
import org.peopleseg.runtime.onnx.proto.Onnx.NodeProto;

/** The attributes of one ONNX node, with the ONNX defaults supplied by the caller. */
final class NodeAttributes {
    private final Map<String, AttributeProto> byName = new HashMap<>();

    NodeAttributes(NodeProto node) {
        for (AttributeProto a : node.getAttributeList()) {
            byName.put(a.getName(), a);
        }
    }

    long i(String name, long fallback) {
        AttributeProto a = byName.get(name);
        return a == null ? fallback : a.getI();
    }

    float f(String name, float fallback) {
        AttributeProto a = byName.get(name);
        return a == null ? fallback : a.getF();
    }

    String s(String name, String fallback) {
        AttributeProto a = byName.get(name);
        return a == null ? fallback : a.getS().toStringUtf8();
    }

    long[] ints(String name, long[] fallback) {
        AttributeProto a = byName.get(name);
        return a == null ? fallback : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    AttributeProto raw(String name) {
        return byName.get(name);
    }
}
