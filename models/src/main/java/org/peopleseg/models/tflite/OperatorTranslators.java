package org.peopleseg.models.tflite;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The registry: builtin operator code -> its translator. A code that is not here is not supported. */
final class OperatorTranslators {
    private static final Map<Integer, OperatorTranslator> BY_CODE;

    static {
        Map<Integer, OperatorTranslator> m = new HashMap<>();
        ConvolutionTranslators.register(m);
        ElementwiseTranslators.register(m);
        AxisTranslators.register(m);
        ShapeTranslators.register(m);
        QuantizeTranslators.register(m);
        BY_CODE = Collections.unmodifiableMap(m);
    }

    private OperatorTranslators() {}

    /** The translator of {@code code}, or null. */
    static OperatorTranslator forCode(int code) {
        return BY_CODE.get(code);
    }

    static Set<Integer> supportedCodes() {
        return BY_CODE.keySet();
    }

    /** Adds {@code t} for every code, refusing a code registered twice (two families claiming one operator). */
    static void put(Map<Integer, OperatorTranslator> registry, OperatorTranslator t, int... codes) {
        for (int c : codes) {
            if (registry.putIfAbsent(c, t) != null) {
                throw new IllegalStateException("operator " + BuiltinOps.name(c) + " registered twice");
            }
        }
    }
}
