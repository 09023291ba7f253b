package org.peopleseg.models.tflite;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto.DataType;

/**
 * Debugging tool (not a test): prints the SHA-256 and size of the ONNX bytes {@link TfliteConverter} produces for
 * every .tflite file of a folder, at three input sizes, in every precision / floatTail / arithmetic combination and
 * through convertForDebug (chained and isolated, with a digest of the debug map); two runs print the same lines when
 * a change of the converter changes no output. It showed the split of the converter into per-family translators
 * byte-for-byte neutral (120 lines identical on the four shared TFLite models):
 *
 * <pre>
 *   mvn -B -q -pl models -am test-compile
 *   CP="models/target/test-classes:models/target/classes:runtime/target/classes:core/target/classes:cli/target/lib/*"
 *   java -cp "$CP" org.peopleseg.models.tflite.ConvertedDigests ../shared/models/ultralytics-st &gt; digests.txt
 * </pre>
 */
public final class ConvertedDigests {
    private ConvertedDigests() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ConvertedDigests DIR_WITH_TFLITE_FILES");
            System.exit(2);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(args[0]))) {
            files = s.filter(p -> p.toString().endsWith(".tflite")).sorted().toList();
        }
        for (Path f : files) {
            TfliteModel m = TfliteModel.read(f);
            for (int[] size : new int[][] {{0, 0}, {960, 576}, {320, 256}}) {
                String where = f.getFileName() + " " + size[0] + "x" + size[1];
                for (TfliteConverter.Precision p : TfliteConverter.Precision.values()) {
                    for (boolean tail : new boolean[] {false, true}) {
                        for (TfliteConverter.Arithmetic ar : TfliteConverter.Arithmetic.values()) {
                            System.out.println(where + " " + p + " tail=" + tail + " " + ar + " "
                                    + digest(m, new TfliteConverter.Options(size[0], size[1], p, tail).withArithmetic(ar)));
                        }
                    }
                }
                for (boolean isolate : new boolean[] {false, true}) {
                    Map<Integer, String[]> quantized = new LinkedHashMap<>();
                    TfliteConverter.Converted c = TfliteConverter.convertForDebug(m, new TfliteConverter.Options(
                            size[0], size[1], TfliteConverter.Precision.INT8).withArithmetic(
                            TfliteConverter.Arithmetic.TFLITE), quantized, isolate);
                    StringBuilder map = new StringBuilder();
                    quantized.forEach((k, v) -> map.append(k).append('=').append(String.join(",", v)).append(';'));
                    System.out.println(where + " debug isolate=" + isolate + " "
                            + sha256(c.graph().build("x", Map.of()).toByteArray()) + " map "
                            + sha256(map.toString().getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
    }

    private static String digest(TfliteModel m, TfliteConverter.Options options) throws NoSuchAlgorithmException {
        try {
            TfliteConverter.Converted c = TfliteConverter.convert(m, options);
            for (TfliteConverter.Output o : c.outputs()) {
                c.graph().output(o.value(), DataType.FLOAT, o.shape());
            }
            byte[] b = c.graph().build("x", Map.of()).toByteArray();
            return sha256(b) + " " + b.length;
        } catch (UnsupportedModelException e) {
            return "refused: " + e.getMessage();
        }
    }

    private static String sha256(byte[] b) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
