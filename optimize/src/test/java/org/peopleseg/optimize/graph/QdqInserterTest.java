package org.peopleseg.optimize.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.runtime.onnx.GraphBuilder;
import org.peopleseg.runtime.onnx.Ops;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto.DataType;
import org.peopleseg.runtime.session.OnnxSession;

/** The QDQ rewrite run by ONNX Runtime itself: what it fuses and how close the integer graph stays to float. */
class QdqInserterTest {
    @TempDir
    Path dir;

    /** x -> conv 3x3 -> relu -> conv 1x1 -> y: the second conv is a head (it reaches the output). */
    static ModelProto twoConvs(long seed) {
        Random r = new Random(seed);
        GraphBuilder g = new GraphBuilder("t");
        Ops o = new Ops(g);
        String x = g.input("x", DataType.FLOAT, new long[] {1, 4, 16, 16});
        String w1 = g.weight("w1", randoms(r, 8 * 4 * 9, 0.3), 8, 4, 3, 3);
        String b1 = g.weight("b1", randoms(r, 8, 0.1), 8);
        String w2 = g.weight("w2", randoms(r, 6 * 8, 0.3), 6, 8, 1, 1);
        String b2 = g.weight("b2", randoms(r, 6, 0.1), 6);
        String y = o.conv(o.relu(o.conv(x, w1, b1, 3, 1, 1)), w2, b2, 1, 1, 0);
        g.named(y, "y");
        g.output("y", DataType.FLOAT, new long[] {1, 6, 16, 16});
        return g.build("test", Map.of());
    }

    static float[] randoms(Random r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    private static float[] run(Path model, float[] x) throws Exception {
        OrtEnvironment env = OnnxSession.environment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
             OrtSession s = env.createSession(model.toString(), o);
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 4, 16, 16});
             OrtSession.Result r = s.run(Map.of("x", t))) {
            FloatBuffer b = ((OnnxTensor) r.get("y").orElseThrow()).getFloatBuffer();
            float[] out = new float[b.remaining()];
            b.get(out);
            return out;
        }
    }

    @Test
    void layersAndHeadsAreFound() {
        Map<QuantLayer, Boolean> found = LayerFinder.find(new GraphIndex(twoConvs(1).getGraph()));
        assertEquals(2, found.size());
        List<QuantLayer> layers = List.copyOf(found.keySet());
        assertEquals(false, found.get(layers.get(0)));
        assertEquals(true, found.get(layers.get(1)), "the conv feeding the output is a head");
        assertTrue(layers.get(0).output().startsWith("relu"), "the relu's output is quantised, not the conv's");
        assertEquals(1, LayerFinder.select(found, false, Set.of()).size());
        assertEquals(0, LayerFinder.select(found, false, Set.of(layers.get(0).node())).size());
    }

    @Test
    void onnxRuntimeFusesEveryQuantisedConvAndStaysCloseToFloat() throws Exception {
        ModelProto model = twoConvs(2);
        Random r = new Random(5);
        float[] x = randoms(r, 4 * 16 * 16, 1.0);
        Path fp32 = dir.resolve("fp32.onnx");
        OnnxFiles.write(model, fp32);
        GraphIndex index = new GraphIndex(model.getGraph());
        List<QuantLayer> layers = List.copyOf(LayerFinder.find(index).keySet());
        // ranges from this very input, as calibration on it would give with minmax
        Map<String, ActivationQuant> ranges = new HashMap<>();
        Map<String, float[]> values = valuesOf(model, fp32, x, QdqInserter.activations(index, layers, List.of()));
        values.forEach((k, v) -> {
            float lo = 0, hi = 0;
            for (float f : v) {
                lo = Math.min(lo, f);
                hi = Math.max(hi, f);
            }
            ranges.put(k, ActivationQuant.ofRange(lo, hi));
        });
        Path int8 = dir.resolve("int8.onnx");
        OnnxFiles.write(QdqInserter.rewrite(model, layers, List.of(), ranges), int8);
        Map<String, Integer> ops = OrtFusion.optimisedOps(int8, dir);
        assertEquals(2, OrtFusion.count(ops, "QLinearConv"), ops.toString());
        assertEquals(0, OrtFusion.count(ops, "Conv", "FusedConv"), ops.toString());
        float[] a = run(fp32, x);
        float[] b = run(int8, x);
        double signal = 0, noise = 0;
        for (int i = 0; i < a.length; i++) {
            signal += a[i] * a[i];
            noise += (a[i] - b[i]) * (a[i] - b[i]);
        }
        double sqnr = 10 * Math.log10(signal / noise);
        assertTrue(sqnr > 25, "INT8 output SQNR " + sqnr + " dB");
    }

    /** The intermediate values by running a copy of the graph with them as outputs. */
    private Map<String, float[]> valuesOf(ModelProto model, Path fp32, float[] x, Set<String> names)
            throws Exception {
        var g = model.getGraph().toBuilder();
        for (String n : names) {
            if (!n.equals("x")) {
                g.addOutput(org.peopleseg.runtime.onnx.proto.Onnx.ValueInfoProto.newBuilder().setName(n)
                        .setType(org.peopleseg.runtime.onnx.proto.Onnx.TypeProto.newBuilder().setTensorType(
                                org.peopleseg.runtime.onnx.proto.Onnx.TypeProto.Tensor.newBuilder()
                                        .setElemType(DataType.FLOAT_VALUE))));
            }
        }
        Path p = dir.resolve("exposed.onnx");
        OnnxFiles.write(model.toBuilder().setGraph(g).build(), p);
        Map<String, float[]> out = new HashMap<>();
        OrtEnvironment env = OnnxSession.environment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
             OrtSession s = env.createSession(p.toString(), o);
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 4, 16, 16});
             OrtSession.Result r = s.run(Map.of("x", t))) {
            for (String n : names) {
                if (n.equals("x")) {
                    out.put(n, x);
                    continue;
                }
                FloatBuffer b = ((OnnxTensor) r.get(n).orElseThrow()).getFloatBuffer();
                float[] v = new float[b.remaining()];
                b.get(v);
                out.put(n, v);
            }
        }
        Files.delete(p);
        return out;
    }

    @Test
    void fakeQuantIsWhatQuantizeThenDequantizeLinearCompute() throws Exception {
        ActivationQuant q = ActivationQuant.ofRange(-1.3, 4.1);
        GraphBuilder g = new GraphBuilder("qdq");
        g.input("x", DataType.FLOAT, new long[] {1, 4, 16, 16});
        String s = g.scalar(q.scale());
        String zp = "zp";
        var graphField = GraphBuilder.tensor(zp, DataType.UINT8, new byte[] {(byte) q.zeroPoint()});
        String qv = g.op("QuantizeLinear", List.of("x", s, zp));
        String dq = g.op("DequantizeLinear", List.of(qv, s, zp));
        g.named(dq, "y");
        g.output("y", DataType.FLOAT, new long[] {1, 4, 16, 16});
        ModelProto m = g.build("t", Map.of());
        m = m.toBuilder().setGraph(m.getGraph().toBuilder().addInitializer(graphField)).build();
        Path p = dir.resolve("qdq.onnx");
        OnnxFiles.write(m, p);
        float[] x = randoms(new Random(9), 4 * 16 * 16, 3.0);
        x[0] = 100;
        x[1] = -100;
        x[2] = q.scale() * 0.5f; // a tie: rounds half to even
        float[] y = run(p, x);
        for (int i = 0; i < x.length; i++) {
            assertEquals(y[i], q.fakeQuant(x[i]), 0f, "x = " + x[i]);
        }
    }
}
