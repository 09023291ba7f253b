package org.peopleseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.peopleseg.core.licence.LicenceNotice;
import org.peopleseg.models.tflite.TfliteConverter;
import org.peopleseg.models.tflite.TfliteFormatException;
import org.peopleseg.models.tflite.TfliteMetadata;
import org.peopleseg.models.tflite.UnsupportedModelException;
import org.peopleseg.models.yolo.YoloSegPackage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code peopleseg import}: a TFLite YOLO-seg flatbuffer converted into a peopleseg model package. */
@Command(name = "import",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
                "Import a TFLite YOLO segmentation model (YOLOv8-seg, YOLO11-seg; detection-only models too) as a "
                        + "model package.",
                "",
                "The flatbuffer is read without TensorFlow and its graph converted operator by operator to one ONNX "
                        + "graph with TFLite's semantics (padding, fused activations, per-tensor and per-channel "
                        + "quantisation). 'int8' keeps the quantisation as ONNX QDQ, so ONNX Runtime runs its integer "
                        + "kernels; 'fp32' dequantises the weights and computes in float.",
                "",
                "The input size may differ from the file's (the weights do not depend on it): shapes, reshape "
                        + "targets and the anchor grid are recomputed. YOLO models need sides that are multiples "
                        + "of 32.",
                "",
                "An unsupported operator or an impossible size is reported by name, exit code 2, and nothing is "
                        + "written.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  peopleseg import --tflite yolov8n_320_quant_pc_ii_seg_coco-st.tflite --output yolov8n-seg.onnx",
                "  peopleseg import --tflite yolo11n_256_quant_pc_ii_seg_coco-st.tflite --input-size 960x576 \\",
                "      --precision fp32 --classes person --licence AGPL-3.0 --output people.onnx"})
final class ImportCommand implements Callable<Integer> {
    enum Precision { int8, fp32 }

    @Spec
    CommandSpec spec;

    @Option(names = "--tflite", required = true, paramLabel = "FILE.tflite", description = "The TFLite model.")
    Path tflite;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "MODEL.onnx",
            description = "The package to write (replaced atomically).")
    Path output;

    @Option(names = "--input-size", paramLabel = "WxH", converter = InputSize.Converter.class,
            description = "Network input size (default: the file's), e.g. 640x640 or 960x576.")
    InputSize inputSize;

    @Option(names = "--precision", defaultValue = "int8", paramLabel = "P",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Precision precision;

    @Option(names = "--classes", split = ",", paramLabel = "NAME",
            description = "Keep only these classes, e.g. 'person' (default: person; 'all' keeps every class).")
    List<String> classes;

    @Option(names = "--exact-int8-head",
            description = "int8: keep the head's per-anchor decode quantised as in the file (reproduces its int8 "
                    + "outputs). Default: decode in float, so boxes keep their precision at large input sizes "
                    + "(the file's single output scale is about 1/50 of the input side per step).")
    boolean exactHead;

    @Option(names = "--arithmetic", defaultValue = "fast", paramLabel = "A",
            description = "int8 rounding: 'fast' (ONNX Runtime's integer kernels; a few values per 10^4 one step "
                    + "off the TFLite runtime, YOLO11n-seg prototypes up to 8 steps) or 'tflite' (TFLite's exact "
                    + "integer arithmetic where they differ: raw outputs bit for bit as the TFLite runtime, "
                    + "+6-22%% inference time). Default: ${DEFAULT-VALUE}.")
    ArithmeticChoice arithmetic;

    enum ArithmeticChoice { fast, tflite }

    @Option(names = "--licence", paramLabel = "TEXT",
            description = "The weights' licence, recorded in the package (default: the licence the file's TFLite "
                    + "metadata states, as Ultralytics exports do; else 'unknown: as the source file'). A package "
                    + "from AGPL-3.0 weights stays AGPL-3.0, and the command says so.")
    String licence;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(tflite)) {
            throw new NoSuchFileException(tflite.toString(), null, "no such TFLite file");
        }
        List<String> keep = classes == null ? List.of("person")
                : classes.size() == 1 && classes.get(0).equalsIgnoreCase("all") ? List.of() : classes;
        YoloSegPackage.ImportOptions options = new YoloSegPackage.ImportOptions(
                inputSize == null ? 0 : inputSize.width(), inputSize == null ? 0 : inputSize.height(),
                precision == Precision.fp32 ? TfliteConverter.Precision.FP32 : TfliteConverter.Precision.INT8,
                keep, licence != null ? licence : licenceFromFile(), !exactHead,
                arithmetic == ArithmeticChoice.tflite ? TfliteConverter.Arithmetic.TFLITE
                        : TfliteConverter.Arithmetic.FAST);
        YoloSegPackage.Imported imported;
        try {
            imported = YoloSegPackage.importTflite(tflite, options, output);
        } catch (UnsupportedModelException | TfliteFormatException | IllegalArgumentException e) {
            throw CliException.error(tflite + ": " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        var meta = imported.metadata();
        out.printf(Locale.ROOT, "%s: %s %s, input %dx%d, %d anchors, %s, classes %s; %d nodes, %.1f MB%n", output,
                meta.architecture(), meta.precision(), meta.inputWidth(), meta.inputHeight(), imported.anchors(),
                imported.maskCoefficients() > 0 ? imported.maskCoefficients() + " mask coefficients" : "boxes only",
                meta.labels().size() > 6 ? meta.labels().size() + " (" + String.join(", ", meta.labels().subList(0, 3))
                        + ", ...)" : String.join(", ", meta.labels()),
                imported.graphNodes(), imported.bytes() / 1e6);
        new LicenceNotice(out).derivedArtefact(meta.licence(), output);
        out.flush();
        return Main.OK;
    }

    /** The licence the TFLite file states about itself, or a placeholder saying nobody recorded one. */
    private String licenceFromFile() throws IOException {
        return TfliteMetadata.read(tflite).map(TfliteMetadata::licence).filter(l -> !l.isBlank())
                .map(l -> l + " (stated in " + tflite.getFileName() + ")")
                .orElse("unknown: as the source file " + tflite.getFileName());
    }
}
