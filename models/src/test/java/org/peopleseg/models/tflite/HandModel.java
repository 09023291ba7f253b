package org.peopleseg.models.tflite;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto.DataType;

/**
 * A TFLite model built in code (tensors with hand-made values, operators with options by field id), converted and
 * run by ONNX Runtime: the harness of the per-operator tests.
 */
final class HandModel {
    private final List<TfliteTensor> tensors = new ArrayList<>();
    private final List<TfliteOperator> ops = new ArrayList<>();
    private int input = -1;
    private final List<Integer> outputs = new ArrayList<>();

    int activation(int[] shape, Quantization q) {
        TensorType type = q == null ? TensorType.FLOAT32 : TensorType.INT8;
        tensors.add(new TfliteTensor(tensors.size(), "t" + tensors.size(), type, shape, null, q));
        return tensors.size() - 1;
    }

    int input(int[] shape, Quantization q) {
        input = activation(shape, q);
        return input;
    }

    int floats(int[] shape, float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        b.flip();
        tensors.add(new TfliteTensor(tensors.size(), "c" + tensors.size(), TensorType.FLOAT32, shape, b, null));
        return tensors.size() - 1;
    }

    int ints(int[] shape, int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        b.flip();
        tensors.add(new TfliteTensor(tensors.size(), "c" + tensors.size(), TensorType.INT32, shape, b, null));
        return tensors.size() - 1;
    }

    int quantized(TensorType type, int[] shape, long[] values, Quantization q) {
        ByteBuffer b = ByteBuffer.allocate(type.bytes() * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            if (type == TensorType.INT32) {
                b.putInt((int) v);
            } else {
                b.put((byte) v);
            }
        }
        b.flip();
        tensors.add(new TfliteTensor(tensors.size(), "q" + tensors.size(), type, shape, b, q));
        return tensors.size() - 1;
    }

    void op(int code, int[] in, int[] out, Map<Integer, ? extends Number> options) {
        ops.add(new TfliteOperator(ops.size(), code, null, 1, in, out, TfliteOperator.Options.of(options)));
    }

    void output(int t) {
        outputs.add(t);
    }

    TfliteModel model() {
        return new TfliteModel(3, "hand-made", tensors, ops, new int[] {input},
                outputs.stream().mapToInt(Integer::intValue).toArray(), 1);
    }

    /**
     * Converts and runs the model on an NHWC input; returns each output flattened in its TFLite layout.
     */
    List<float[]> run(TfliteConverter.Precision precision, float[] nhwc, int width, int height) throws Exception {
        TfliteModel m = model();
        int[] s = m.tensor(input).shape();
        TfliteConverter.Converted c = TfliteConverter.convert(m, new TfliteConverter.Options(width, height, precision));
        int i = 0;
        for (TfliteConverter.Output o : c.outputs()) {
            String name = "out" + i++;
            c.graph().named(o.value(), name);
            c.graph().output(name, DataType.FLOAT, o.shape());
        }
        byte[] bytes = c.graph().build("test", Map.of()).toByteArray();
        int h = c.inputHeight(), w = c.inputWidth(), ch = s[3];
        float[] nchw = new float[nhwc.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < ch; k++) {
                    nchw[(k * h + y) * w + x] = nhwc[(y * w + x) * ch + k];
                }
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<float[]> out = new ArrayList<>();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(bytes, so);
                 OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(nchw), new long[] {1, ch, h, w});
                 OrtSession.Result r = session.run(Map.of(TfliteConverter.INPUT, t))) {
                for (int k = 0; k < c.outputs().size(); k++) {
                    FloatBuffer fb = ((OnnxTensor) r.get("out" + k).orElseThrow()).getFloatBuffer();
                    float[] v = new float[fb.remaining()];
                    fb.get(v);
                    out.add(v);
                }
            }
        }
        return out;
    }

    static float[] ramp(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }
}
