package org.peopleseg.models.maskrcnn;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peopleseg.runtime.onnx.GraphBuilder;
import org.peopleseg.runtime.onnx.Ops;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto.DataType;

/**
 * A tiny graph holding one part of the Mask R-CNN, run through ONNX Runtime: declare inputs, build the part with
 * {@link #ops()}, mark outputs, then {@link #run} with hand-made tensors. Values come back as plain arrays with
 * their shapes, so a test can compare numbers without touching ORT types.
 */
final class PartGraph {
    /** One output: its shape and its values (floats, or longs for int64, or booleans for bool outputs). */
    record Value(long[] shape, float[] floats, long[] longs, boolean[] bools) {}

    /** A float or int64 input fed at run time. */
    record Feed(long[] shape, float[] floats, long[] longs) {
        static Feed of(long[] shape, float... values) {
            return new Feed(shape, values, null);
        }

        static Feed ofLongs(long[] shape, long... values) {
            return new Feed(shape, null, values);
        }
    }

    private final GraphBuilder g = new GraphBuilder("part");
    private final Ops o = new Ops(g);
    private final List<String> outputs = new ArrayList<>();

    Ops ops() {
        return o;
    }

    GraphBuilder graph() {
        return g;
    }

    /** A float input of the given rank, every dimension dynamic. */
    String floatInput(String name, int rank) {
        return input(name, DataType.FLOAT, rank);
    }

    String input(String name, DataType type, int rank) {
        long[] dims = new long[rank];
        String[] names = new String[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = -1;
            names[i] = name + "_d" + i;
        }
        return g.input(name, type, dims, names);
    }

    /** Marks {@code value} as the output {@code name} of element type {@code type} and the given rank (dims dynamic). */
    void output(String value, String name, DataType type, int rank) {
        long[] dims = new long[rank];
        String[] names = new String[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = -1;
            names[i] = name + "_d" + i;
        }
        g.output(g.named(value, name), type, dims, names);
        outputs.add(name);
    }

    void floatOutput(String value, String name, int rank) {
        output(value, name, DataType.FLOAT, rank);
    }

    /** Serialises the graph, opens a session from the bytes, runs it once, closes everything. */
    Map<String, Value> run(Map<String, Feed> feeds) throws OrtException {
        byte[] bytes = g.build("test", Map.of()).toByteArray();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, Value> out = new LinkedHashMap<>();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(bytes, opts)) {
                Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
                try {
                    for (var e : feeds.entrySet()) {
                        Feed f = e.getValue();
                        inputs.put(e.getKey(), f.floats() != null
                                ? OnnxTensor.createTensor(env, FloatBuffer.wrap(f.floats()), f.shape())
                                : OnnxTensor.createTensor(env, LongBuffer.wrap(f.longs()), f.shape()));
                    }
                    try (OrtSession.Result r = session.run(inputs)) {
                        for (String name : outputs) {
                            out.put(name, read((OnnxTensor) r.get(name).orElseThrow()));
                        }
                    }
                } finally {
                    for (OnnxTensor t : inputs.values()) {
                        t.close();
                    }
                }
            }
        }
        return out;
    }

    static Value read(OnnxTensor t) throws OrtException {
        long[] shape = t.getInfo().getShape();
        switch (t.getInfo().type) {
            case FLOAT -> {
                FloatBuffer b = t.getFloatBuffer();
                float[] v = new float[b.remaining()];
                b.get(v);
                return new Value(shape, v, null, null);
            }
            case INT64 -> {
                LongBuffer b = t.getLongBuffer();
                long[] v = new long[b.remaining()];
                b.get(v);
                return new Value(shape, null, v, null);
            }
            case BOOL -> {
                var b = t.getByteBuffer();
                boolean[] v = new boolean[b.remaining()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = b.get() != 0;
                }
                return new Value(shape, null, null, v);
            }
            default -> throw new IllegalArgumentException("unhandled output type " + t.getInfo().type);
        }
    }

    // ---- fixtures --------------------------------------------------------------------------------------------

    /** A JSON fixture from src/test/resources/maskrcnn (written by tools/fixtures/maskrcnn/make_unit_fixtures.py). */
    static JsonNode fixture(String name) {
        try (InputStream in = PartGraph.class.getResourceAsStream("/maskrcnn/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /maskrcnn/" + name);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON array of arrays (of any depth) of numbers, flattened row-major to float32. */
    static float[] floats(JsonNode node) {
        List<Float> acc = new ArrayList<>();
        flatten(node, acc);
        float[] out = new float[acc.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = acc.get(i);
        }
        return out;
    }

    private static void flatten(JsonNode node, List<Float> acc) {
        if (node.isArray()) {
            node.forEach(n -> flatten(n, acc));
        } else {
            acc.add((float) node.asDouble());
        }
    }

    static long[] longs(JsonNode node) {
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asLong();
        }
        return out;
    }

    /** Element-wise |got - want| <= abs + rel * |want|, naming the first element that is off. */
    static void assertClose(float[] want, float[] got, double rel, double abs, String what) {
        org.junit.jupiter.api.Assertions.assertEquals(want.length, got.length, what + ": element count");
        for (int i = 0; i < want.length; i++) {
            double tol = abs + rel * Math.abs(want[i]);
            if (!(Math.abs(got[i] - want[i]) <= tol)) {
                org.junit.jupiter.api.Assertions.fail(what + ": element " + i + " is " + got[i] + ", expected " + want[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }

    static long[] shape(long... dims) {
        return dims;
    }
}
