package org.peopleseg.optimize;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.peopleseg.core.dataset.CocoDetection;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.io.AtomicFiles;
import org.peopleseg.core.io.Sha256;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.Instance;
import org.peopleseg.core.sys.ProcessMemory;
import org.peopleseg.models.PackagedSegmenter;
import org.peopleseg.models.Segmenters;
import org.peopleseg.optimize.calib.CalibrationCache;
import org.peopleseg.optimize.calib.ExposedRun;
import org.peopleseg.optimize.calib.TensorStats;
import org.peopleseg.optimize.gate.Agreement;
import org.peopleseg.optimize.gate.LeaveOneOut;
import org.peopleseg.optimize.gate.ModelScores;
import org.peopleseg.optimize.gate.Sensitivity;
import org.peopleseg.optimize.graph.ActivationQuant;
import org.peopleseg.optimize.graph.GraphIndex;
import org.peopleseg.optimize.graph.LayerFinder;
import org.peopleseg.optimize.graph.OnnxFiles;
import org.peopleseg.optimize.graph.OrtFusion;
import org.peopleseg.optimize.graph.QdqInserter;
import org.peopleseg.optimize.graph.QuantLayer;
import org.peopleseg.runtime.model.ModelMetadata;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.runtime.onnx.proto.Onnx.StringStringEntryProto;

/**
 * Post-training static INT8 quantisation of a model package: calibrate (FP32 run over images with the quantised
 * values exposed, statistics streamed into {@link TensorStats}), rewrite as QDQ ({@link QdqInserter}), check what ONNX
 * Runtime fused, then gate — run FP32 and INT8 over the validation images and compare — and write the package only
 * when the measured drop is within the limit (or forced).
 */
public final class Quantizer {
    /** Outcome; {@code written} false means the gate refused and nothing was written. */
    public record Result(GateResult gate, boolean written, Map<String, Integer> optimisedOps, List<QuantLayer> int8,
            List<String> fp32Layers, boolean cacheHit, double calibrationSeconds, long peakRssBytes) {
    }

    private final QuantizeOptions options;
    private final PrintWriter log;

    public Quantizer(QuantizeOptions options, PrintWriter log) {
        this.options = options;
        this.log = log;
    }

    /**
     * @param validation images (with ground truth for AP, or plain for agreement)
     * @throws IllegalArgumentException when the package cannot be quantised (not FP32, no quantisable layer)
     */
    public Result quantize(Path source, ImageSet calibration, ImageSet validation, Path output) throws IOException {
        ModelProto model = OnnxFiles.read(source);
        Map<String, String> props = new LinkedHashMap<>();
        for (StringStringEntryProto p : model.getMetadataPropsList()) {
            props.put(p.getKey(), p.getValue());
        }
        ModelMetadata meta = ModelMetadata.fromProperties(props);
        if (!"fp32".equals(meta.precision())) {
            throw new IllegalArgumentException(source + ": the package is already " + meta.precision()
                    + "; quantize takes an fp32 package (e.g. 'import --precision fp32' or 'build')");
        }
        GraphIndex index = new GraphIndex(model.getGraph());
        Map<QuantLayer, Boolean> found = LayerFinder.find(index);
        List<QuantLayer> layers = LayerFinder.select(found, options.includeHeads(), options.exclude());
        if (layers.isEmpty()) {
            throw new IllegalArgumentException(source + ": no Conv or Gemm layer with constant weights to quantise");
        }
        List<String> fp32Layers = new ArrayList<>();
        found.keySet().stream().filter(l -> !layers.contains(l)).forEach(l -> fp32Layers.add(l.node()));
        List<String> elementwise = options.elementwise() ? LayerFinder.elementwise(index, layers) : List.of();
        Set<String> values = QdqInserter.activations(index, layers, elementwise);
        log.printf(Locale.ROOT, "%s: %s, %d layers INT8, %d FP32 (heads%s), %d element-wise ops INT8, "
                        + "%d activations to calibrate%n", source, meta.architecture(), layers.size(), fp32Layers.size(),
                options.exclude().isEmpty() ? "" : " and --exclude", elementwise.size(), values.size());
        log.flush();

        String modelSha = Sha256.hex(source);
        long t0 = System.nanoTime();
        var cached = CalibrationCache.read(options.cache(), modelSha, calibration.digest(), values);
        Map<String, TensorStats> stats;
        if (cached.isPresent()) {
            stats = cached.get();
            log.println("Calibration: statistics from the cache " + options.cache());
        } else {
            stats = calibrate(model, values, calibration);
            if (options.cache() != null) {
                CalibrationCache.write(options.cache(), modelSha, calibration.digest(), calibration.size(), stats);
                log.println("Calibration cache written: " + options.cache());
            }
        }
        double calibSeconds = (System.nanoTime() - t0) / 1e9;
        Map<String, ActivationQuant> ranges = new LinkedHashMap<>();
        stats.forEach((v, s) -> ranges.put(v, options.method().quant(s)));
        for (String v : values) {
            ranges.computeIfAbsent(v, k -> {
                log.println("note: " + k + " produced no values on the calibration images; it gets a minimal range");
                return ActivationQuant.ofRange(0, 0);
            });
        }
        ModelProto int8 = QdqInserter.rewrite(model, layers, elementwise, ranges);

        Path tmp = AtomicFiles.createScratch(options.tmpDir(), "peopleseg-int8");
        try {
            OnnxFiles.write(int8, tmp);
            Map<String, Integer> ops = OrtFusion.optimisedOps(tmp, options.tmpDir());
            log.printf(Locale.ROOT, "ONNX Runtime's optimised graph: %d QLinearConv, %d QGemm, %d QLinearAdd, "
                            + "%d QLinearMul, %d QLinearSigmoid, %d QLinearConcat; float: %d Conv, %d Gemm, %d MatMul; "
                            + "%d QuantizeLinear, %d DequantizeLinear%n",
                    OrtFusion.count(ops, "QLinearConv"), OrtFusion.count(ops, "QGemm"),
                    OrtFusion.count(ops, "QLinearAdd"), OrtFusion.count(ops, "QLinearMul"),
                    OrtFusion.count(ops, "QLinearSigmoid"), OrtFusion.count(ops, "QLinearConcat"),
                    OrtFusion.count(ops, "Conv", "FusedConv"),
                    OrtFusion.count(ops, "Gemm", "FusedGemm"), OrtFusion.count(ops, "MatMul", "FusedMatMul"),
                    OrtFusion.count(ops, "QuantizeLinear"), OrtFusion.count(ops, "DequantizeLinear"));
            log.flush();
            GateResult gate = gate(model, source, tmp, validation, ranges, layers, elementwise, index,
                    meta.untrained());
            boolean write = gate.passed() || options.force();
            if (write) {
                ModelProto out = int8.toBuilder().clearMetadataProps().build();
                Map<String, String> newProps = metadata(props, meta, calibration, gate, layers, fp32Layers, modelSha);
                ModelProto.Builder b = out.toBuilder();
                newProps.forEach((k, v) -> b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
                OnnxFiles.write(b.build(), output);
            }
            return new Result(gate, write, ops, layers, fp32Layers, cached.isPresent(), calibSeconds,
                    ProcessMemory.read().peakBytes());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Map<String, TensorStats> calibrate(ModelProto model, Set<String> values, ImageSet images)
            throws IOException {
        Map<String, TensorStats> stats = new LinkedHashMap<>();
        List<Set<String>> groups = groups(values);
        log.printf(Locale.ROOT, "Calibrating on %d image%s%s ...%n", images.size(), images.size() == 1 ? "" : "s",
                groups.size() == 1 ? "" : " in " + groups.size() + " passes");
        log.flush();
        for (Set<String> group : groups) {
            exposedPass(model, group, images, options.calibrationScore(),
                    (v, buf) -> stats.computeIfAbsent(v, k -> new TensorStats()).add(buf), null);
        }
        return stats;
    }

    /**
     * The values split into {@code calibrationPasses} groups in graph order: each pass exposes one group, so the
     * activations ONNX Runtime holds at once for one image shrink by that factor (at that many runs per image).
     */
    private List<Set<String>> groups(Set<String> values) {
        int passes = Math.max(1, Math.min(options.calibrationPasses(), values.size()));
        List<Set<String>> out = new ArrayList<>();
        List<String> all = new ArrayList<>(values);
        for (int p = 0; p < passes; p++) {
            out.add(new java.util.LinkedHashSet<>(all.subList(p * all.size() / passes, (p + 1) * all.size() / passes)));
        }
        return out;
    }

    /** One run over the images with {@code values} exposed; detections collected when {@code detections} is given. */
    private void exposedPass(ModelProto model, Set<String> values, ImageSet images, double score,
            ExposedRun.Sink sink, List<Detections> detections) throws IOException {
        try (ExposedRun run = ExposedRun.open(model, values, options.tmpDir(), options.session(), score)) {
            int done = 0;
            for (ImageSet.Entry e : images.images()) {
                Detections d = run.segment(ImageReader.read(e.file()), e.name(), sink);
                if (detections != null) {
                    detections.add(d);
                }
                done++;
                if (done % 8 == 0 || done == images.size()) {
                    ProcessMemory mem = ProcessMemory.read();
                    log.printf(Locale.ROOT, "  %d/%d images, RSS %.0f MiB (Java heap %.0f MiB in use, %.0f committed)%n",
                            done, images.size(), ProcessMemory.mib(mem.rssBytes()), ProcessMemory.mib(mem.heapUsedBytes()),
                            ProcessMemory.mib(mem.heapCommittedBytes()));
                    log.flush();
                }
            }
        }
    }

    private GateResult gate(ModelProto fp32Model, Path fp32File, Path int8File, ImageSet validation,
            Map<String, ActivationQuant> ranges, List<QuantLayer> layers, List<String> elementwise, GraphIndex index,
            boolean untrained) throws IOException {
        Map<String, String> layersOf = new LinkedHashMap<>();
        for (QuantLayer l : layers) {
            layersOf.merge(l.input(), l.node(), (a, b) -> a + ", " + b);
            layersOf.merge(l.output(), l.node(), (a, b) -> a + ", " + b);
        }
        for (String name : elementwise) {
            var n = index.node(name);
            for (String v : n.getInputList()) {
                layersOf.merge(v, name, (a, b) -> a + ", " + b);
            }
            layersOf.merge(n.getOutput(0), name, (a, b) -> a + ", " + b);
        }
        double keep = validation.groundTruth() != null ? options.minScore() : options.threshold();
        log.printf(Locale.ROOT, "Gate: FP32 and INT8 on %d validation image%s ...%n", validation.size(),
                validation.size() == 1 ? "" : "s");
        log.flush();
        if (untrained && validation.groundTruth() != null) {
            log.println("note: the weights are UNTRAINED: AP means nothing, the gate measures agreement with FP32");
        }
        boolean ap = validation.groundTruth() != null && !untrained;
        List<Detections> ref = detections(fp32File, validation, keep);
        ModelScores a = ap ? ModelScores.of(validation.groundTruth(), coco(validation, ref), options.threshold()) : null;
        Measured full = measure(int8File, validation, ref, a, keep);
        boolean passed = full.drop() <= options.maxDrop();
        List<Sensitivity.Row> rows = List.of();
        List<LeaveOneOut.Row> leaveOneOut = List.of();
        if (!passed) {
            // only a refused model needs the per-layer tables: one more FP32 pass with the quantised values exposed
            log.println("Sensitivity: FP32 on the validation images with each quantised value measured ...");
            log.flush();
            Sensitivity sensitivity = new Sensitivity(ranges, layersOf);
            for (Set<String> group : groups(ranges.keySet())) {
                exposedPass(fp32Model, group, validation, keep, sensitivity, null);
            }
            rows = sensitivity.rows();
            leaveOneOut = leaveOneOut(fp32Model, index, layers, ranges, rows, full.drop(), validation, ref, a, keep);
        }
        return new GateResult(a, full.scores(), full.agreement(), full.drop(), options.maxDrop(), passed, rows,
                leaveOneOut, validation.size());
    }

    /** What the gate measured on one INT8 model against the FP32 detections {@code ref}. */
    private record Measured(ModelScores scores, Agreement agreement, double drop) {
    }

    private Measured measure(Path int8File, ImageSet validation, List<Detections> ref, ModelScores fp32Scores,
            double keep) throws IOException {
        List<Detections> cand = detections(int8File, validation, keep);
        Agreement agreement = Agreement.of(ref, cand, options.threshold());
        ModelScores b = fp32Scores == null ? null
                : ModelScores.of(validation.groundTruth(), coco(validation, cand), options.threshold());
        return new Measured(b, agreement, GateResult.drop(fp32Scores, b, agreement));
    }

    private List<Detections> detections(Path model, ImageSet images, double keep) throws IOException {
        List<Detections> out = new ArrayList<>();
        try (PackagedSegmenter s = Segmenters.open(model, options.session(), keep)) {
            for (ImageSet.Entry e : images.images()) {
                out.add(s.segment(ImageReader.read(e.file()), e.name()));
            }
        }
        return out;
    }

    /**
     * The leave-one-out table: for the {@code options.leaveOneOut()} layers touching the worst values, the model
     * with that one layer in FP32 (what {@code --exclude} would write, element-wise ops re-chosen for the remaining
     * layers, the same calibrated ranges), gated like the full model.
     */
    private List<LeaveOneOut.Row> leaveOneOut(ModelProto fp32Model, GraphIndex index, List<QuantLayer> layers,
            Map<String, ActivationQuant> ranges, List<Sensitivity.Row> worstFirst, double fullDrop,
            ImageSet validation, List<Detections> ref, ModelScores fp32Scores, double keep) throws IOException {
        if (options.leaveOneOut() < 0) {
            return List.of();
        }
        List<QuantLayer> candidates = LeaveOneOut.candidates(worstFirst, layers, options.leaveOneOut());
        log.printf(Locale.ROOT, "Leave-one-out: %d model%s with one layer in FP32, each gated on the %d validation "
                + "image%s ...%n", candidates.size(), candidates.size() == 1 ? "" : "s", validation.size(),
                validation.size() == 1 ? "" : "s");
        log.flush();
        int[] done = {0};
        try {
            return LeaveOneOut.run(candidates, fullDrop, layer -> {
                List<QuantLayer> rest = new ArrayList<>(layers);
                rest.remove(layer);
                List<String> ew = options.elementwise() ? LayerFinder.elementwise(index, rest) : List.of();
                Map<String, ActivationQuant> kept = new LinkedHashMap<>();
                for (String v : QdqInserter.activations(index, rest, ew)) {
                    kept.put(v, ranges.getOrDefault(v, ActivationQuant.ofRange(0, 0)));
                }
                ModelProto variant = QdqInserter.rewrite(fp32Model, rest, ew, kept);
                try {
                    Path tmp = AtomicFiles.createScratch(options.tmpDir(), "peopleseg-int8-loo");
                    try {
                        OnnxFiles.write(variant, tmp);
                        Measured m = measure(tmp, validation, ref, fp32Scores, keep);
                        done[0]++;
                        log.printf(Locale.ROOT, "  %d/%d %s in FP32: drop %.2f%n", done[0], candidates.size(),
                                layer.node(), m.drop());
                        log.flush();
                        return new LeaveOneOut.Measured(m.drop(), m.agreement().f1());
                    } finally {
                        Files.deleteIfExists(tmp);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static List<CocoDetection> coco(ImageSet set, List<Detections> dets) {
        List<CocoDetection> out = new ArrayList<>();
        for (int i = 0; i < dets.size(); i++) {
            for (Instance inst : dets.get(i).instances()) {
                out.add(CocoDetection.fromInstance(set.images().get(i).id(), inst));
            }
        }
        return out;
    }

    private Map<String, String> metadata(Map<String, String> source, ModelMetadata meta, ImageSet calibration,
            GateResult gate, List<QuantLayer> layers, List<String> fp32Layers, String modelSha) {
        ModelMetadata m = new ModelMetadata(meta.architecture(), meta.specText(), meta.inputWidth(),
                meta.inputHeight(), meta.resize(), meta.mean(), meta.std(), meta.labels(), meta.categoryIds(), "int8",
                meta.provenance() + "; INT8 by peopleseg quantize (" + options.method().id() + ", "
                        + calibration.size() + " calibration images)", meta.licence());
        Map<String, String> p = new LinkedHashMap<>(source);
        p.putAll(m.toProperties());
        p.put("peopleseg.quantization.method", options.method().id());
        p.put("peopleseg.quantization.scheme", "QDQ; weights int8 symmetric per output channel; activations uint8 "
                + "asymmetric per tensor; bias int32");
        p.put("peopleseg.quantization.fp32_source_sha256", modelSha);
        p.put("peopleseg.quantization.calibration_images", Integer.toString(calibration.size()));
        p.put("peopleseg.quantization.calibration_sha256", calibration.digest());
        StringBuilder files = new StringBuilder();
        for (ImageSet.Entry e : calibration.images()) {
            files.append(e.name()).append(' ').append(e.sha256()).append('\n');
        }
        p.put("peopleseg.quantization.calibration_files", files.toString());
        p.put("peopleseg.quantization.int8_layers", Integer.toString(layers.size()));
        p.put("peopleseg.quantization.fp32_layers", String.join(",", fp32Layers));
        p.put("peopleseg.quantization.gate", gate.passed() ? "passed" : "refused, written with --force");
        p.put("peopleseg.quantization.measured_drop", String.format(Locale.ROOT, "%.3f", gate.drop()));
        p.put("peopleseg.quantization.drop_definition", gate.dropDefinition());
        p.put("peopleseg.quantization.validation_images", Integer.toString(gate.images()));
        p.put("peopleseg.quantization.agreement_f1", String.format(Locale.ROOT, "%.4f", gate.agreement().f1()));
        return p;
    }
}
