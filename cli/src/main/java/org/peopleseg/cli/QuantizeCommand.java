package org.peopleseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.peopleseg.core.licence.LicenceNotice;
import org.peopleseg.core.sys.ProcessMemory;
import org.peopleseg.optimize.GateResult;
import org.peopleseg.optimize.ImageSet;
import org.peopleseg.optimize.QuantizeOptions;
import org.peopleseg.optimize.Quantizer;
import org.peopleseg.optimize.calib.CalibrationMethod;
import org.peopleseg.optimize.gate.ModelScores;
import org.peopleseg.optimize.gate.LeaveOneOut;
import org.peopleseg.optimize.gate.Sensitivity;
import org.peopleseg.runtime.model.ModelMetadata;
import org.peopleseg.runtime.session.OnnxSession;
import org.peopleseg.runtime.session.SessionSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code peopleseg quantize}: post-training static INT8 quantisation with calibration and an accuracy gate. */
@Command(name = "quantize",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
                "Quantise an FP32 model package (Mask R-CNN from 'build', YOLO-seg from 'import --precision fp32') "
                        + "to INT8, checked against the FP32 model before anything is written.",
                "",
                "Calibration runs the FP32 package (its own preprocessing) on the calibration images with every "
                        + "value to be quantised exposed, streaming min/max and histograms. Convolutions and fully "
                        + "connected layers become QDQ groups that ONNX Runtime fuses into integer kernels "
                        + "(QLinearConv, QGemm): int8 weights per output channel, uint8 activations. The heads "
                        + "(box deltas, class and objectness logits, mask logits) stay FP32 unless --include-heads.",
                "",
                "The gate runs FP32 and INT8 on the validation images: with annotations, COCO box and mask AP and "
                        + "the card's KPIs of both; without, their agreement (detections matched at IoU 0.5: F1, "
                        + "mean mask IoU). If the drop exceeds --max-drop nothing is written, exit code 3, and a "
                        + "per-layer sensitivity table names the layers that cost most: each quantised value's own "
                        + "error, then the leave-one-out table (the model with one layer kept FP32, gated again).",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  C=../shared/data/coco-person",
                "  peopleseg quantize --model yolo-fp32.onnx --calibration $C/annotations.json --calibration-split 0/4 \\",
                "      --images 64 --method entropy --validation $C/annotations.json --validation-split 2/4 \\",
                "      --output yolo-int8.onnx",
                "  peopleseg quantize -m people.onnx --calibration frames/ --images 16 --output people-int8.onnx"})
final class QuantizeCommand implements Callable<Integer> {
    static final int REFUSED = 3;

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FP32.onnx", description = "The FP32 package.")
    Path model;

    @Option(names = "--calibration", required = true, paramLabel = "DIR|GT.json",
            description = "Calibration images: a folder, or a COCO annotations file (images in --calibration-images, "
                    + "default: the 'images' folder beside it).")
    Path calibration;

    @Option(names = "--calibration-images", paramLabel = "DIR", description = "Image folder of --calibration GT.json.")
    Path calibrationImages;

    @Option(names = "--calibration-split", paramLabel = "R/M", converter = SplitConverter.class,
            description = "With GT.json: only image ids with id %% M == R, e.g. 0/4 (default: all).")
    IdSplit calibrationSplit;

    @Option(names = {"-n", "--images"}, defaultValue = "32", paramLabel = "N",
            description = "Calibration images used (the first N; default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--method", defaultValue = "percentile", paramLabel = "M",
            description = "Activation ranges: minmax, percentile (99.99th) or entropy (TensorRT's KL calibrator). "
                    + "Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "INT8.onnx",
            description = "The INT8 package (written atomically, only if the gate passes or --force).")
    Path output;

    @Option(names = "--validation", paramLabel = "GT.json|DIR",
            description = "Validation: COCO annotations (AP gate) or an image folder (agreement gate). Default: "
                    + "agreement on the calibration images.")
    Path validation;

    @Option(names = "--validation-images", paramLabel = "DIR", description = "Image folder of --validation GT.json.")
    Path validationImages;

    @Option(names = "--validation-split", paramLabel = "R/M", converter = SplitConverter.class,
            description = "With GT.json: only ids with id %% M == R, e.g. 2/4.")
    IdSplit validationSplit;

    @Option(names = "--validation-limit", defaultValue = "0", paramLabel = "N",
            description = "Validate on the first N images only (default: all).")
    int validationLimit;

    @Option(names = "--max-drop", defaultValue = "1.0", paramLabel = "POINTS",
            description = "Largest accepted drop in AP points (agreement F1 points without annotations). "
                    + "Default: ${DEFAULT-VALUE}.")
    double maxDrop;

    @Option(names = "--force", description = "Write the model even when the gate refuses (the drop is recorded).")
    boolean force;

    @Option(names = "--include-heads", description = "Quantise the head layers too (default: they stay FP32).")
    boolean includeHeads;

    @Option(names = "--no-elementwise", description = "Keep Add, Mul, Sigmoid and Concat between INT8 layers in "
            + "float (default: they become QLinearAdd, QLinearMul, QLinearSigmoid, QLinearConcat).")
    boolean noElementwise;

    @Option(names = "--exclude", split = ",", paramLabel = "NODE", description = "Keep these layers (node names) FP32.")
    List<String> exclude;

    @Option(names = "--calibration-passes", defaultValue = "1", paramLabel = "P",
            description = "Expose the values to calibrate over P runs per image instead of one: ONNX Runtime holds "
                    + "about 1/P of them at once (peak memory), at P times the calibration time. Default: "
                    + "${DEFAULT-VALUE}.")
    int calibrationPasses;

    @Option(names = "--leave-one-out", defaultValue = "8", paramLabel = "K",
            description = "When the gate refuses: gate K more models, each with one layer kept FP32 (the layers "
                    + "touching the worst values first), and print which exclusions recover most; 0 = every layer, "
                    + "-1 = none. Each costs one INT8 run over the validation images. Default: ${DEFAULT-VALUE}.")
    int leaveOneOut;

    @Option(names = "--cache", paramLabel = "FILE",
            description = "Calibration cache (default: OUTPUT.calibration.json); reused when model and images match.")
    Path cache;

    @Option(names = "--no-cache", description = "Neither read nor write a calibration cache.")
    boolean noCache;

    @Option(names = {"-t", "--threshold"}, defaultValue = "0.5", paramLabel = "SCORE",
            description = "KPI and agreement score threshold (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "ONNX Runtime threads (default: 0 = one per physical core).")
    int threads;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        InferCommand.checkRanges(cl, threshold, threads);
        if (images < 1 || maxDrop < 0 || validationLimit < 0 || calibrationPasses < 1 || leaveOneOut < -1) {
            throw new CommandLine.ParameterException(cl, "--images and --calibration-passes must be 1 or more, --max-drop and "
                    + "--validation-limit 0 or more, --leave-one-out -1 or more");
        }
        CalibrationMethod m;
        try {
            m = CalibrationMethod.valueOf(method.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--method must be minmax, percentile or entropy, got '"
                    + method + "'");
        }
        if (!Files.isRegularFile(model)) {
            throw new NoSuchFileException(model.toString(), null, "no such model file");
        }
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        ModelMetadata meta;
        try (OnnxSession s = OnnxSession.open(model, new SessionSettings(1))) {
            meta = ModelMetadata.fromProperties(s.metadata());
        } catch (IllegalArgumentException e) {
            throw CliException.error(model + ": " + e.getMessage());
        }
        new LicenceNotice(err).derivedArtefact(meta.licence(), output);
        ImageSet calib = images(calibration, calibrationImages, calibrationSplit, images);
        ImageSet valid = validation == null ? calib
                : images(validation, validationImages, validationSplit, validationLimit);
        if (validation == null) {
            err.println("note: no --validation: the gate measures agreement on the calibration images themselves");
        }
        Path dir = output.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path cacheFile = noCache ? null : cache != null ? cache : Path.of(output + ".calibration.json");
        QuantizeOptions options = new QuantizeOptions(m, includeHeads, new HashSet<>(exclude == null ? List.of()
                : exclude), !noElementwise, maxDrop, force, new SessionSettings(threads), threshold, 0.05, 0.05, calibrationPasses, leaveOneOut, cacheFile, dir);
        Quantizer.Result r;
        try {
            r = new Quantizer(options, err).quantize(model, calib, valid, output);
        } catch (IllegalArgumentException e) {
            throw CliException.error(e.getMessage());
        }
        out.print(report(r, meta));
        out.flush();
        if (!r.written()) {
            throw new CliException(REFUSED, String.format(Locale.ROOT, "REFUSED: the INT8 model drops %.2f points "
                    + "(%s), more than --max-drop %.2f; nothing written (see the sensitivity tables above; --force "
                    + "writes it anyway)", r.gate().drop(), r.gate().dropDefinition(), maxDrop));
        }
        return Main.OK;
    }

    private static ImageSet images(Path source, Path imageDir, IdSplit split, int limit) throws IOException {
        if (Files.isDirectory(source)) {
            return ImageSet.folder(source, limit);
        }
        if (!Files.isRegularFile(source)) {
            throw new NoSuchFileException(source.toString(), null, "no such image folder or annotations file");
        }
        return ImageSet.coco(source, imageDir,
                new ImageSet.Split(split == null ? 0 : split.modulus(), split == null ? 0 : split.remainder(), limit));
    }

    private String report(Quantizer.Result r, ModelMetadata meta) {
        GateResult g = r.gate();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s -> %s: %d layers INT8, %d FP32; calibration %.1f s%s, peak RSS "
                        + "%.0f MiB%n", model, output, r.int8().size(), r.fp32Layers().size(), r.calibrationSeconds(),
                r.cacheHit() ? " (cache)" : "", ProcessMemory.mib(r.peakRssBytes())));
        if (g.fp32() != null) {
            b.append(String.format(Locale.ROOT, "%-6s %8s %8s %8s %8s %22s%n", "", "box AP", "box AP50", "mask AP",
                    "mask AP50", "box P / R / Acc"));
            row(b, "FP32", g.fp32());
            row(b, "INT8", g.int8());
        }
        b.append(String.format(Locale.ROOT, "agreement INT8 vs FP32 (%d images, score >= %.2f, IoU > 0.5): F1 %.4f "
                        + "(%d / %d matched), mean box IoU %.4f, mean mask IoU %.4f%n", g.images(), threshold,
                g.agreement().f1(), g.agreement().matched(), Math.max(g.agreement().reference(),
                        g.agreement().candidate()), g.agreement().meanBoxIou(), g.agreement().meanMaskIou()));
        b.append(String.format(Locale.ROOT, "drop %.2f points (%s); max %.2f: %s%n", g.drop(), g.dropDefinition(),
                g.maxDrop(), g.passed() ? "PASSED" : r.written() ? "REFUSED, written because of --force" : "REFUSED"));
        if (meta.untrained()) {
            b.append("note: the weights are UNTRAINED (deterministic formula): only the agreement with FP32 means "
                    + "anything, not AP\n");
        }
        if (!g.passed()) {
            b.append("Sensitivity (each quantised value alone, on the validation images; worst first):\n");
            b.append(Sensitivity.table(g.sensitivity(), 15));
            if (!g.leaveOneOut().isEmpty()) {
                b.append(String.format(Locale.ROOT, "Leave-one-out (all INT8 but one layer kept FP32, gated on the same "
                        + "images; full INT8 drop %.2f; most recovered first):%n", g.drop()));
                b.append(LeaveOneOut.table(g.leaveOneOut()));
            }
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String name, ModelScores s) {
        b.append(String.format(Locale.ROOT, "%-6s %8.1f %8.1f %8s %8s %22s%n", name, 100 * s.boxAp(),
                100 * s.boxAp50(), s.hasMasks() ? String.format(Locale.ROOT, "%.1f", 100 * s.maskAp()) : "-",
                s.hasMasks() ? String.format(Locale.ROOT, "%.1f", 100 * s.maskAp50()) : "-",
                String.format(Locale.ROOT, "%.1f / %.1f / %.1f", 100 * s.boxKpi().precision(),
                        100 * s.boxKpi().recall(), 100 * s.boxKpi().accuracy())));
    }

    /** Image ids with {@code id % modulus == remainder}, written "R/M". */
    record IdSplit(int remainder, int modulus) {
    }

    static final class SplitConverter implements CommandLine.ITypeConverter<IdSplit> {
        @Override
        public IdSplit convert(String value) {
            String[] p = value.split("/");
            try {
                int r = Integer.parseInt(p[0].trim());
                int mod = Integer.parseInt(p[1].trim());
                if (p.length == 2 && mod > 0 && r >= 0 && r < mod) {
                    return new IdSplit(r, mod);
                }
            } catch (RuntimeException e) {
                // fall through to the message
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not R/M with 0 <= R < M, e.g. 0/4");
        }
    }
}
