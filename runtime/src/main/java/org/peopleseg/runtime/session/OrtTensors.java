package org.peopleseg.runtime.session;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/** Copies ONNX Runtime output tensors into Java arrays, so nothing outlives the result that owns the native memory. */
public final class OrtTensors {
    private OrtTensors() {}

    public static float[] floats(OnnxTensor t) {
        FloatBuffer b = t.getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    public static long[] longs(OnnxTensor t) {
        LongBuffer b = t.getLongBuffer();
        long[] out = new long[b.remaining()];
        b.get(out);
        return out;
    }

    /** The named output of a result as floats. */
    public static float[] floats(OrtSession.Result r, String name) {
        return floats(output(r, name));
    }

    public static long[] longs(OrtSession.Result r, String name) {
        return longs(output(r, name));
    }

    private static OnnxTensor output(OrtSession.Result r, String name) {
        return (OnnxTensor) r.get(name).orElseThrow(() -> new IllegalStateException("the model has no output '" + name + "'"));
    }
}
