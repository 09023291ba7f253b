package org.peopleseg.models.yolo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.peopleseg.core.io.AtomicFiles;
import org.peopleseg.core.io.Sha256;
import org.peopleseg.models.tflite.TfliteConverter;
import org.peopleseg.models.tflite.TfliteModel;
import org.peopleseg.models.tflite.UnsupportedModelException;
import org.peopleseg.runtime.model.ModelMetadata;
import org.peopleseg.runtime.model.ModelSource;
import org.peopleseg.runtime.onnx.GraphBuilder;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto.DataType;

/**
 * Imports an Ultralytics YOLO segmentation (or detection) model exported to TFLite as a peopleseg model package:
 * the TFLite graph converted to ONNX ({@link TfliteConverter}), the class rows not asked for dropped inside the
 * graph, and metadata saying what the package is.
 *
 * <p>The package's outputs: {@value #DETECTIONS} [1, 4 + K + M, N] — per anchor the box (centre x, centre y, width,
 * height, normalised by the input size as Ultralytics' TFLite export writes them), K class scores (sigmoid) and M
 * mask coefficients — and, for segmentation models, {@value #PROTOS} [1, Hp, Wp, M], the mask prototypes (NHWC).
 */
public final class YoloSegPackage {
    public static final String ARCHITECTURE = "yolo-seg";
    public static final String VERSION = "0.1.0";
    public static final String DETECTIONS = "detections";
    public static final String PROTOS = "protos";

    private YoloSegPackage() {}

    /**
     * What to import.
     *
     * @param inputWidth  0 = the file's
     * @param inputHeight 0 = the file's
     * @param classes     class names to keep (COCO names for 80-class models), empty = all
     * @param licence     the weights' licence, as the user knows it
     * @param floatTail   int8: compute the head's per-anchor decode in float (see
     *                    {@link TfliteConverter.Options#floatTail()}); false reproduces the file's int8 output
     * @param arithmetic  int8 rounding: ONNX Runtime's fast kernels, or TFLite's exact arithmetic
     *                    ({@link TfliteConverter.Arithmetic})
     */
    public record ImportOptions(int inputWidth, int inputHeight, TfliteConverter.Precision precision,
                                List<String> classes, String licence, boolean floatTail,
                                TfliteConverter.Arithmetic arithmetic) {
        public ImportOptions {
            classes = List.copyOf(classes);
            java.util.Objects.requireNonNull(arithmetic, "arithmetic");
        }

        /** With ONNX Runtime's fast int8 arithmetic. */
        public ImportOptions(int inputWidth, int inputHeight, TfliteConverter.Precision precision,
                             List<String> classes, String licence, boolean floatTail) {
            this(inputWidth, inputHeight, precision, classes, licence, floatTail, TfliteConverter.Arithmetic.FAST);
        }

        /** With the float tail (the default: box precision does not shrink as the input grows). */
        public ImportOptions(int inputWidth, int inputHeight, TfliteConverter.Precision precision,
                             List<String> classes, String licence) {
            this(inputWidth, inputHeight, precision, classes, licence, true);
        }
    }

    /** What the import made. */
    public record Imported(ModelMetadata metadata, int anchors, int maskCoefficients, int graphNodes, long bytes) {}

    /**
     * Converts {@code tflite} and writes the package to {@code out} atomically: on any error nothing is written.
     *
     * @throws UnsupportedModelException an operator or size the converter cannot take, or not a YOLO layout
     * @throws IllegalArgumentException  unknown class names
     */
    public static Imported importTflite(Path tflite, ImportOptions options, Path out) throws IOException {
        return importTflite(tflite, options, null, out);
    }

    /** As {@link #importTflite(Path, ImportOptions, Path)}, recording where the file was downloaded from. */
    public static Imported importTflite(Path tflite, ImportOptions options, ModelSource source, Path out)
            throws IOException {
        TfliteModel model = TfliteModel.read(tflite);
        TfliteConverter.Converted c = TfliteConverter.convert(model,
                new TfliteConverter.Options(options.inputWidth(), options.inputHeight(), options.precision(),
                        options.floatTail()).withArithmetic(options.arithmetic()));
        List<TfliteConverter.Output> outs = c.outputs();
        TfliteConverter.Output det = null, protos = null;
        for (TfliteConverter.Output o : outs) {
            if (o.shape().length == 3 && det == null) {
                det = o;
            } else if (o.shape().length == 4 && protos == null) {
                protos = o;
            }
        }
        if (det == null || outs.size() > 2 || (outs.size() == 2 && protos == null)) {
            throw new UnsupportedModelException("not a YOLO detection/segmentation layout: outputs "
                    + outs.stream().map(o -> Arrays.toString(o.shape())).toList()
                    + " (expected [1, 4 + classes + coefficients, anchors] and optionally [1, H, W, coefficients])");
        }
        int m = protos == null ? 0 : (int) protos.shape()[3];
        int rows = (int) det.shape()[1];
        int numClasses = rows - 4 - m;
        if (numClasses < 1) {
            throw new UnsupportedModelException("detections output has " + rows + " rows: no room for classes with "
                    + m + " mask coefficients");
        }
        List<String> allNames = numClasses == CocoLabels.NAMES.size() ? CocoLabels.NAMES : genericNames(numClasses);
        List<Integer> allIds = numClasses == CocoLabels.NAMES.size() ? CocoLabels.IDS
                : java.util.stream.IntStream.rangeClosed(1, numClasses).boxed().toList();
        if (numClasses == 1) {
            allNames = List.of("person");
            allIds = List.of(1);
        }
        List<Integer> keep = new ArrayList<>();
        for (String name : options.classes()) {
            int i = allNames.indexOf(name.trim().toLowerCase(Locale.ROOT));
            if (i < 0) {
                throw new IllegalArgumentException("unknown class '" + name + "'; this model's classes: "
                        + (allNames.size() > 12 ? String.join(", ", allNames.subList(0, 12)) + ", ..." : allNames));
            }
            if (!keep.contains(i)) {
                keep.add(i);
            }
        }
        GraphBuilder g = c.graph();
        String detValue = det.value();
        List<String> labels = allNames;
        List<Integer> ids = allIds;
        if (!keep.isEmpty() && keep.size() < numClasses) {
            long[] rowsKept = new long[4 + keep.size() + m];
            for (int i = 0; i < 4; i++) {
                rowsKept[i] = i;
            }
            for (int k = 0; k < keep.size(); k++) {
                rowsKept[4 + k] = 4 + keep.get(k);
            }
            for (int i = 0; i < m; i++) {
                rowsKept[4 + keep.size() + i] = 4 + numClasses + i;
            }
            detValue = g.op("Gather", List.of(detValue, g.ints(rowsKept)),
                    org.peopleseg.runtime.onnx.Attr.i("axis", 1));
            List<String> l = new ArrayList<>();
            List<Integer> d = new ArrayList<>();
            for (int k : keep) {
                l.add(allNames.get(k));
                d.add(allIds.get(k));
            }
            labels = l;
            ids = d;
        }
        long anchors = det.shape()[2];
        g.named(detValue, DETECTIONS);
        g.output(DETECTIONS, DataType.FLOAT, new long[] {1, 4 + labels.size() + m, anchors});
        if (protos != null) {
            g.named(protos.value(), PROTOS);
            g.output(PROTOS, DataType.FLOAT, protos.shape());
        }
        String precision = options.precision().name().toLowerCase(Locale.ROOT);
        String head = options.precision() == TfliteConverter.Precision.INT8
                ? (options.floatTail() ? "int8, per-anchor decode in float" : "int8 as in the file") : "float";
        String spec = "# peopleseg yolo-seg package\n"
                + "source: " + tflite.getFileName() + "\n"
                + "source_input_size: " + model.tensor(model.inputs()[0]).shape()[2] + "x"
                + model.tensor(model.inputs()[0]).shape()[1] + "\n"
                + "boxes: cxcywh_normalized\n"
                + "classes_in_source: " + numClasses + "\n"
                + "mask_coefficients: " + m + "\n"
                + "head: " + head + "\n";
        ModelMetadata meta = new ModelMetadata(ARCHITECTURE, spec, c.inputWidth(), c.inputHeight(), "fit_pad",
                new double[] {0, 0, 0}, new double[] {1, 1, 1}, labels, ids, precision,
                "TFLite " + tflite.getFileName() + " sha256=" + Sha256.hex(tflite) + ", imported by peopleseg " + VERSION,
                options.licence()).withSource(source);
        ModelProto proto = g.build(VERSION, meta.toProperties());
        AtomicFiles.write(out, proto::writeTo);
        return new Imported(meta, (int) anchors, m, proto.getGraph().getNodeCount(), Files.size(out));
    }

    private static List<String> genericNames(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("class" + i);
        }
        return out;
    }
}
