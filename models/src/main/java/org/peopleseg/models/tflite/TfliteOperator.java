package org.peopleseg.models.tflite;

import java.util.Arrays;

/**
 * One operator of a subgraph: its builtin code, input and output tensor indices (-1 = optional input omitted),
 * and its builtin options table (read with the typed accessors; absent fields take the schema's defaults).
 *
 * @param index      position in the subgraph's execution order
 * @param code       BuiltinOperator code ({@link BuiltinOps})
 * @param customCode the custom operator's name when {@code code} is CUSTOM, else null
 */
public record TfliteOperator(int index, int code, String customCode, int version, int[] inputs, int[] outputs,
                             Options options) {

    public String opName() {
        return code == BuiltinOps.CUSTOM ? "CUSTOM(" + customCode + ")" : BuiltinOps.name(code);
    }

    @Override
    public String toString() {
        return "op #" + index + " " + opName() + " in=" + Arrays.toString(inputs) + " out=" + Arrays.toString(outputs);
    }

    /** A builtin options table; field ids as in schema.fbs (the n-th field declared in the options table). */
    public static final class Options {
        static final Options EMPTY = new Options(null, java.util.Map.of());
        private final FlatTable t;
        private final java.util.Map<Integer, Number> fields;

        Options(FlatTable t) {
            this(t, java.util.Map.of());
        }

        private Options(FlatTable t, java.util.Map<Integer, Number> fields) {
            this.t = t;
            this.fields = fields;
        }

        /** Options given by field id (for building operators in code: tests, generated graphs). */
        public static Options of(java.util.Map<Integer, ? extends Number> fields) {
            return new Options(null, java.util.Map.copyOf(fields));
        }

        public int getInt(int field, int dflt) {
            return t != null ? t.getInt(field, dflt) : fields.getOrDefault(field, dflt).intValue();
        }

        public int getByte(int field, int dflt) {
            return t != null ? t.getByte(field, dflt) : fields.getOrDefault(field, dflt).intValue();
        }

        public boolean getBool(int field, boolean dflt) {
            return t != null ? t.getBool(field, dflt) : fields.getOrDefault(field, dflt ? 1 : 0).intValue() != 0;
        }

        public float getFloat(int field, float dflt) {
            return t != null ? t.getFloat(field, dflt) : fields.getOrDefault(field, dflt).floatValue();
        }
    }
}
