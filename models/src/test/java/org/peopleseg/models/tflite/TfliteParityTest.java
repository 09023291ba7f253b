package org.peopleseg.models.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.image.NetworkInput;
import org.peopleseg.core.image.Preprocessor;
import org.peopleseg.models.SharedDir;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto.DataType;

/**
 * The imported real models against the official TFLite runtime (fixtures made by
 * tools/fixtures/tflite/make_fixtures.sh with tflite_reference.js: TFLite's C++ interpreter compiled to WebAssembly,
 * with its XNNPACK delegate) on real COCO images, compared in quantisation steps of each output.
 *
 * <p>int8 with {@link TfliteConverter.Arithmetic#TFLITE}: every raw output value within one step of the reference
 * (issue #4's criterion; in fact bit for bit: compared tensor by tensor with tools/fixtures/tflite/
 * tflite_intermediates.js and {@link TfliteIntermediates}, every operator agrees exactly once QUANTIZE and
 * per-channel TRANSPOSE_CONV round as TFLite does). int8 with the default {@link TfliteConverter.Arithmetic#FAST}:
 * the same for YOLOv8n-seg; YOLO11n-seg's per-channel TRANSPOSE_CONV, left to ONNX Runtime, is one step off on
 * ~0.2% of its values and the next LOGISTIC widens that to several steps on ~2% of the mask prototypes. The fp32
 * variant (dequantised weights, no re-quantisation) is bounded loosely, a few points under what was measured.
 */
class TfliteParityTest {
    private static final String[] IMAGES = {"000000001490", "000000002532", "000000568290"};

    @ParameterizedTest
    @CsvSource({
            // file, fixture, precision, arithmetic, min exact / within one step (detections, prototypes), max steps
            "yolov8n_320_quant_pc_ii_seg_coco-st, yolov8n_320, INT8, TFLITE, 0.999, 1, 0.999, 1, 1",
            "yolo11n_256_quant_pc_ii_seg_coco-st, yolo11n_256, INT8, TFLITE, 0.999, 1, 0.999, 1, 1",
            "yolov8n_320_quant_pc_ii_seg_coco-st, yolov8n_320, INT8, FAST, 0.999, 1, 0.999, 1, 1",
            "yolo11n_256_quant_pc_ii_seg_coco-st, yolo11n_256, INT8, FAST, 0.999, 1, 0.94, 0.97, 12",
            "yolov8n_320_quant_pc_ii_seg_coco-st, yolov8n_320, FP32, FAST, 0.72, 0.86, 0.13, 0.35, 127",
            "yolo11n_256_quant_pc_ii_seg_coco-st, yolo11n_256, FP32, FAST, 0.70, 0.81, 0.13, 0.33, 127"})
    void rawOutputsMatchTheTfliteRuntime(String file, String fixture, String precision, String arithmetic,
                                         double detExact, double detWithinOne, double protoExact,
                                         double protoWithinOne, int maxSteps) throws Exception {
        Path shared = SharedDir.require();
        Path tflite = shared.resolve("models/ultralytics-st/" + file + ".tflite");
        Assumptions.assumeTrue(Files.isRegularFile(tflite), "model not found: " + tflite);
        TfliteModel model = TfliteModel.read(tflite);
        TfliteConverter.Converted c = TfliteConverter.convert(model,
                new TfliteConverter.Options(0, 0, TfliteConverter.Precision.valueOf(precision))
                        .withArithmetic(TfliteConverter.Arithmetic.valueOf(arithmetic)));
        for (int i = 0; i < c.outputs().size(); i++) {
            c.graph().named(c.outputs().get(i).value(), "out" + i);
            c.graph().output("out" + i, DataType.FLOAT, c.outputs().get(i).shape());
        }
        byte[] onnx = c.graph().build("test", Map.of()).toByteArray();
        int size = c.inputWidth();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(onnx, so)) {
                for (String image : IMAGES) {
                    float[] in = letterboxedPixels(shared.resolve("data/coco-person/images/" + image + ".jpg"), size);
                    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(in), new long[] {1, 3, size, size});
                         OrtSession.Result r = session.run(Map.of(TfliteConverter.INPUT, t))) {
                        for (int o = 0; o < 2; o++) {
                            TfliteTensor ref = c.outputs().get(o).tensor();
                            byte[] expected = fixture(fixture + "_" + image + "_" + o + ".i8.gz");
                            FloatBuffer fb = ((OnnxTensor) r.get("out" + o).orElseThrow()).getFloatBuffer();
                            float[] got = new float[fb.remaining()];
                            fb.get(got);
                            assertEquals(expected.length, got.length);
                            int[] hist = steps(got, expected, ref.quantization());
                            double exact = hist[0] / (double) got.length;
                            double within = (hist[0] + hist[1]) / (double) got.length;
                            String msg = String.format(Locale.ROOT, "%s %s %s %s output %d %s: exact %.4f, within "
                                    + "one step %.4f, max %d steps", fixture, precision, arithmetic, image, o,
                                    Arrays.toString(ref.shape()), exact, within, hist[2]);
                            System.out.println(msg);
                            assertTrue(exact >= (o == 0 ? detExact : protoExact), msg);
                            assertTrue(within >= (o == 0 ? detWithinOne : protoWithinOne), msg);
                            assertTrue(hist[2] <= maxSteps, msg);
                        }
                    }
                }
            }
        }
    }

    /** {count equal, count one step apart, max steps} of float outputs against int8 reference values. */
    private static int[] steps(float[] got, byte[] ref, Quantization q) {
        int[] h = new int[3];
        for (int i = 0; i < got.length; i++) {
            long mine = Math.max(-128, Math.min(127, Math.round(got[i] / q.scale() + q.zeroPoint())));
            int d = (int) Math.abs(mine - ref[i]);
            if (d == 0) {
                h[0]++;
            } else if (d == 1) {
                h[1]++;
            }
            h[2] = Math.max(h[2], d);
        }
        return h;
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = TfliteParityTest.class.getResourceAsStream("/tflite/parity/" + name)) {
            if (in == null) {
                throw new IOException("missing fixture " + name);
            }
            return new GZIPInputStream(in).readAllBytes();
        }
    }

    /**
     * The network input the fixtures were made from, as NCHW floats pixel / 255: the image resized to fit
     * {@code size} x {@code size} (bilinear, aspect kept, top-left), rounded to 8-bit pixels, grey 114 elsewhere.
     * {@link #main} writes the same pixels as raw 8-bit NHWC for tflite_reference.js.
     */
    static float[] letterboxedPixels(Path image, int size) throws IOException {
        byte[] u8 = letterboxedBytes(image, size);
        float[] chw = new float[3 * size * size];
        for (int p = 0; p < size * size; p++) {
            for (int c = 0; c < 3; c++) {
                chw[c * size * size + p] = (u8[p * 3 + c] & 0xFF) / 255f;
            }
        }
        return chw;
    }

    static byte[] letterboxedBytes(Path image, int size) throws IOException {
        Preprocessor p = new Preprocessor(Preprocessor.Mode.FIT_PAD, size, size, new double[] {0, 0, 0},
                new double[] {1, 1, 1}, 32);
        NetworkInput in = p.apply(ImageReader.read(image));
        float[] chw = in.chw();
        byte[] out = new byte[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                boolean inside = x < in.resizedWidth() && y < in.resizedHeight();
                for (int c = 0; c < 3; c++) {
                    int v = inside ? Math.round(chw[(c * size + y) * size + x] * 255f) : 114;
                    out[(y * size + x) * 3 + c] = (byte) Math.max(0, Math.min(255, v));
                }
            }
        }
        return out;
    }

    /** For the fixture generator: {@code main IMAGE SIZE OUT.u8} writes the letterboxed pixels (raw RGB, NHWC). */
    public static void main(String[] args) throws IOException {
        Files.write(Path.of(args[2]), letterboxedBytes(Path.of(args[0]), Integer.parseInt(args[1])));
    }

    @org.junit.jupiter.api.Test
    void theFixturesAreWhatTheGeneratorWrites() throws IOException {
        // shape sanity of the committed fixtures (no ../shared needed)
        assertEquals(116 * 2100, fixture("yolov8n_320_000000001490_0.i8.gz").length);
        assertEquals(80 * 80 * 32, fixture("yolov8n_320_000000001490_1.i8.gz").length);
        assertEquals(116 * 1344, fixture("yolo11n_256_000000568290_0.i8.gz").length);
        assertArrayEquals(new int[] {64 * 64 * 32}, new int[] {fixture("yolo11n_256_000000568290_1.i8.gz").length});
    }
}
