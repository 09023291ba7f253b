package org.peopleseg.train.yolo.graph;

import java.util.Map;
import java.util.TreeMap;

/** ONNX operator type -> its DJL handler. {@link #standard()} holds every operator the translator knows. */
final class OpRegistry {
    private final Map<String, OpHandler> handlers = new TreeMap<>();

    static OpRegistry standard() {
        OpRegistry r = new OpRegistry();
        ConvOps.register(r);
        MathOps.register(r);
        PoolingOps.register(r);
        ShapeOps.register(r);
        return r;
    }

    void add(String opType, OpHandler handler) {
        if (handlers.putIfAbsent(opType, handler) != null) {
            throw new IllegalStateException("two handlers for " + opType);
        }
    }

    OpHandler get(String opType) {
        return handlers.get(opType);
    }

    java.util.Set<String> known() {
        return handlers.keySet();
    }
}
