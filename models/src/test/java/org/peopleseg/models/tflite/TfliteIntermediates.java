package org.peopleseg.models.tflite;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto.DataType;

/**
 * Debugging tool (not a test): compares every int8 activation of the imported graph with the TFLite runtime's own
 * intermediate tensors, written by tools/fixtures/tflite/tflite_intermediates.js, and prints one line per operator
 * output (fraction exact, within one step, max steps, how many above / below). In "chain" mode the graph runs
 * end to end, so a difference propagates and the first line that is not exact is where the divergence starts; in
 * "isolate" mode every operator reads the reference's own inputs, so each line judges that operator alone.
 *
 * <pre>
 *   java -cp ... org.peopleseg.models.tflite.TfliteIntermediates MODEL.tflite INPUT.u8 REF_DIR chain|isolate [fast|tflite]
 * </pre>
 */
public final class TfliteIntermediates {
    private TfliteIntermediates() {}

    public static void main(String[] args) throws IOException, OrtException {
        if (args.length < 4) {
            System.err.println("usage: TfliteIntermediates MODEL.tflite INPUT.u8 REF_DIR chain|isolate [fast|tflite]");
            System.exit(2);
        }
        TfliteModel model = TfliteModel.read(Path.of(args[0]));
        byte[] pixels = Files.readAllBytes(Path.of(args[1]));
        Path ref = Path.of(args[2]);
        boolean isolate = args[3].equals("isolate");
        TfliteConverter.Arithmetic arithmetic = args.length > 4
                ? TfliteConverter.Arithmetic.valueOf(args[4].toUpperCase(Locale.ROOT)) : TfliteConverter.Arithmetic.FAST;
        Map<Integer, String[]> quantized = new LinkedHashMap<>();
        TfliteConverter.Converted c = TfliteConverter.convertForDebug(model,
                new TfliteConverter.Options(0, 0, TfliteConverter.Precision.INT8).withArithmetic(arithmetic), quantized,
                isolate);
        for (Map.Entry<Integer, String[]> e : quantized.entrySet()) {
            if (Files.exists(refFile(ref, e.getKey()))) {
                c.graph().output(e.getValue()[0], DataType.UINT8, onnxDims(model.tensor(e.getKey()).shape(),
                        e.getValue()[1].equals("nchw")));
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int size = c.inputWidth();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(c.graph().build("intermediates", Map.of()).toByteArray(), so)) {
            Map<String, OnnxTensor> feeds = new HashMap<>();
            float[] chw = new float[3 * size * size];
            for (int p = 0; p < size * size; p++) {
                for (int ch = 0; ch < 3; ch++) {
                    chw[ch * size * size + p] = (pixels[p * 3 + ch] & 0xFF) / 255f;
                }
            }
            feeds.put(TfliteConverter.INPUT, OnnxTensor.createTensor(env, FloatBuffer.wrap(chw),
                    new long[] {1, 3, size, size}));
            for (String in : session.getInputNames()) {
                if (in.equals(TfliteConverter.INPUT)) {
                    continue;
                }
                int idx = Integer.parseInt(in.substring(1));
                byte[] r;
                if (idx == model.inputs()[0]) {
                    r = new byte[pixels.length];
                    for (int i = 0; i < r.length; i++) {
                        r[i] = (byte) (pixels[i] - 128);
                    }
                } else {
                    r = Files.readAllBytes(refFile(ref, idx));
                }
                int[] shape = model.tensor(idx).shape();
                boolean nchw = quantized.get(idx)[1].equals("nchw");
                byte[] u = new byte[r.length];
                for (int i = 0; i < r.length; i++) {
                    u[nchw ? nchwIndex(shape, i) : i] = (byte) (r[i] + 128);
                }
                feeds.put(in, OnnxTensor.createTensor(env, ByteBuffer.wrap(u), onnxDims(shape, nchw),
                        OnnxJavaType.UINT8));
            }
            try (OrtSession.Result res = session.run(feeds)) {
                for (TfliteOperator op : model.operators()) {
                    for (int out : op.outputs()) {
                        String[] v = quantized.get(out);
                        if (v == null || !Files.exists(refFile(ref, out))) {
                            continue;
                        }
                        byte[] r = Files.readAllBytes(refFile(ref, out));
                        ByteBuffer bb = ((OnnxTensor) res.get(v[0]).orElseThrow()).getByteBuffer();
                        int[] shape = model.tensor(out).shape();
                        boolean nchw = v[1].equals("nchw");
                        int exact = 0, one = 0, max = 0, above = 0, below = 0;
                        for (int i = 0; i < r.length; i++) {
                            int d = (bb.get(nchw ? nchwIndex(shape, i) : i) & 0xFF) - 128 - r[i];
                            exact += d == 0 ? 1 : 0;
                            one += Math.abs(d) == 1 ? 1 : 0;
                            above += d > 0 ? 1 : 0;
                            below += d < 0 ? 1 : 0;
                            max = Math.max(max, Math.abs(d));
                        }
                        System.out.printf(Locale.ROOT, "op %3d %-24s t%-5d exact %.4f within one %.4f max %3d  +%d -%d%n",
                                op.index(), op.opName(), out, exact / (double) r.length,
                                (exact + one) / (double) r.length, max, above, below);
                    }
                }
            }
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private static Path refFile(Path dir, int tensor) {
        return dir.resolve("t" + tensor + ".bin");
    }

    private static long[] onnxDims(int[] s, boolean nchw) {
        return nchw ? new long[] {s[0], s[3], s[1], s[2]} : Tensors.toLongs(s);
    }

    /** NCHW index of NHWC index {@code i}. */
    private static int nchwIndex(int[] s, int i) {
        int c = s[3], w = s[2], h = s[1];
        int ch = i % c, x = i / c % w, y = i / c / w % h, n = i / c / w / h;
        return ((n * c + ch) * h + y) * w + x;
    }
}
