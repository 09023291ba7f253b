package org.peopleseg.cli;

import org.peopleseg.core.sys.ProcessMemory;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peopleseg.core.StageTimes;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.result.Detections;
import org.peopleseg.models.PackagedSegmenter;
import org.peopleseg.models.Segmenters;
import org.peopleseg.models.TestTimeAugmentation;
import org.peopleseg.runtime.model.ModelMetadata;
import org.peopleseg.runtime.session.SessionSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code peopleseg bench}: latency, throughput and memory of a model package, trtexec-style. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
                "Measure latency, throughput and memory of a model package (trtexec-style).",
                "",
                "Runs one image end to end as 'infer' does (without file I/O): "
                        + "throughput, and latency min / median / mean / p90 / p95 / p99 / max split into "
                        + "preprocess (resize, normalise, pad), inference (ONNX Runtime) and postprocess (boxes, "
                        + "full-resolution masks), plus the total per call.",
                "",
                "Memory: resident set size (RSS, Linux /proc) and Java heap in use, each after a garbage "
                        + "collection, at start, after loading, after warm-up and at the end (a leak shows as growth "
                        + "over the timed runs; try --iterations 500), and the peak RSS (VmHWM).",
                "",
                "Percentiles are nearest-rank: with fewer than 100 runs p99 is the maximum.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  peopleseg bench --model people.onnx --threads 2",
                "  peopleseg bench -m people.onnx -i street.jpg -n 500 --json > bench.json",
                "  peopleseg bench -m people.onnx -m people-int8.onnx -i street.jpg --threads 2",
                "  peopleseg bench -m yolo.onnx -m yolo.onnx --tta none --tta flip -i frame.jpg   # flip's cost"})
final class BenchCommand implements Callable<Integer> {
    static final int SYNTHETIC_WIDTH = 960;
    static final int SYNTHETIC_HEIGHT = 576;

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL",
            description = "A model package ('peopleseg build', 'import' or 'quantize') or a catalogue name such as "
                    + "yolo11n-seg (pulled when not cached; 'peopleseg models available'). Repeat it to compare "
                    + "packages side by side: they run alternately on the same image and the ratios are printed "
                    + "(with --json, an array of the objects in the order given).")
    List<Path> models;

    @Option(names = {"-i", "--input"}, paramLabel = "IMAGE",
            description = "The image to run (default: a synthetic 960x576 street scene with people-like figures).")
    Path input;

    @Option(names = "--warmup", defaultValue = "2", paramLabel = "N",
            description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = {"-n", "--iterations"}, defaultValue = "20", paramLabel = "N",
            description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "ONNX Runtime threads (default: 0 = one per physical core).")
    int threads;

    @Option(names = {"-t", "--threshold"}, defaultValue = "0.5", paramLabel = "SCORE",
            description = "Score threshold, as for infer (default: ${DEFAULT-VALUE}); fewer detections mean less "
                    + "mask work.")
    double threshold;

    @Option(names = "--tta", paramLabel = "AUG",
            description = "Test-time augmentation, none or flip (yolo-seg only), as for infer: once for every "
                    + "model, or once per --model in the same order (the same package twice with --tta none "
                    + "--tta flip measures what flip costs, side by side). Default: none.")
    List<TestTimeAugmentation> tta;

    @Option(names = "--json", description = "Print one JSON object instead of the text report.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        InferCommand.checkRanges(cl, threshold, threads);
        if (warmup < 0 || iterations < 1) {
            throw new CommandLine.ParameterException(cl, "--warmup must be 0 or more and --iterations 1 or more");
        }
        List<TestTimeAugmentation> augmentations = augmentations(cl);
        PrintWriter log = cl.getErr();
        List<Path> resolved = new java.util.ArrayList<>();
        for (Path m : models) {
            resolved.add(ModelCatalogAccess.resolveModel(m, log));
        }
        models = resolved;
        ProcessMemory atStart = ProcessMemory.afterGc();
        BufferedImage image;
        String source;
        if (input != null) {
            image = ImageReader.read(input);
            source = input.toString();
        } else {
            image = SyntheticImages.scene(SYNTHETIC_WIDTH, SYNTHETIC_HEIGHT, 1);
            source = "synthetic street scene";
        }
        int n = models.size();
        List<PackagedSegmenter> segmenters = new ArrayList<>();
        double[] loadSeconds = new double[n];
        ProcessMemory[] loaded = new ProcessMemory[n];
        try {
            for (int m = 0; m < n; m++) {
                log.println("Loading " + models.get(m) + augmentations.get(m).describe(" with ") + " ...");
                log.flush();
                long t0 = System.nanoTime();
                segmenters.add(Segmenters.open(models.get(m), new SessionSettings(threads), threshold,
                        augmentations.get(m)));
                loadSeconds[m] = (System.nanoTime() - t0) / 1e9;
                loaded[m] = ProcessMemory.afterGc();
            }
            log.printf(Locale.ROOT, "Warm-up: %d run%s%s ...%n", warmup, warmup == 1 ? "" : "s",
                    n > 1 ? " of each model" : "");
            log.flush();
            for (int i = 0; i < warmup; i++) {
                for (PackagedSegmenter seg : segmenters) {
                    seg.segment(image, source);
                }
            }
            ProcessMemory warm = ProcessMemory.afterGc();
            log.printf(Locale.ROOT, "Timing %d run%s%s ...%n", iterations, iterations == 1 ? "" : "s",
                    n > 1 ? " of each model, alternating" : "");
            log.flush();
            long[][] pre = new long[n][iterations];
            long[][] inf = new long[n][iterations];
            long[][] post = new long[n][iterations];
            long[][] total = new long[n][iterations];
            long[] busy = new long[n];
            Detections[] last = new Detections[n];
            // alternate the models run by run, so that a slower stretch of the shared machine hits them alike
            for (int i = 0; i < iterations; i++) {
                for (int m = 0; m < n; m++) {
                    long s = System.nanoTime();
                    last[m] = segmenters.get(m).segment(image, source);
                    total[m][i] = System.nanoTime() - s;
                    busy[m] += total[m][i];
                    StageTimes t = segmenters.get(m).lastTimes();
                    pre[m][i] = t.preprocessNanos();
                    inf[m][i] = t.inferenceNanos();
                    post[m][i] = t.postprocessNanos();
                }
            }
            ProcessMemory end = ProcessMemory.afterGc();
            List<BenchResult> results = new ArrayList<>();
            for (int m = 0; m < n; m++) {
                Map<String, LatencyStats> lat = new LinkedHashMap<>();
                lat.put("preprocess", LatencyStats.ofNanos(pre[m]));
                lat.put("inference", LatencyStats.ofNanos(inf[m]));
                lat.put("postprocess", LatencyStats.ofNanos(post[m]));
                lat.put("total", LatencyStats.ofNanos(total[m]));
                results.add(new BenchResult(modelInfo(models.get(m), segmenters.get(m), augmentations.get(m)),
                        source, image.getWidth(), image.getHeight(), threads, warmup, iterations, threshold,
                        loadSeconds[m], busy[m] / 1e9, last[m].instances().size(), lat,
                        new BenchResult.Memory(atStart, loaded[m], warm, end)));
            }
            PrintWriter out = cl.getOut();
            if (json) {
                out.print(n == 1 ? results.get(0).json() + "\n"
                        : "[" + String.join(",\n", results.stream().map(BenchResult::json).toList()) + "]\n");
            } else {
                for (int m = 0; m < n; m++) {
                    out.print((n > 1 ? "== " + label(m, augmentations) + "\n" : "") + results.get(m).text());
                    if (n > 1) {
                        out.println();
                    }
                }
                if (n > 1) {
                    out.print(ratios(results, augmentations));
                }
            }
            out.flush();
        } finally {
            for (PackagedSegmenter seg : segmenters) {
                seg.close();
            }
        }
        return Main.OK;
    }

    /** Median total and inference of every model against the first, side by side. */
    private String ratios(List<BenchResult> results, List<TestTimeAugmentation> augmentations) {
        StringBuilder b = new StringBuilder("Side by side (medians, alternating runs):\n");
        BenchResult first = results.get(0);
        int width = 40;   // labels line up however long the paths are
        for (int m = 0; m < results.size(); m++) {
            width = Math.max(width, label(m, augmentations).length());
        }
        double t0 = first.latencies().get("total").median();
        double i0 = first.latencies().get("inference").median();
        for (int m = 0; m < results.size(); m++) {
            BenchResult r = results.get(m);
            double t = r.latencies().get("total").median();
            double inf = r.latencies().get("inference").median();
            b.append(String.format(Locale.ROOT, "  %-" + width + "s total %9.1f ms  inference %9.1f ms",
                    label(m, augmentations), t, inf));
            if (m > 0) {
                b.append(String.format(Locale.ROOT, "  first/this: total %.2fx, inference %.2fx", t0 / t, i0 / inf));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** One augmentation per model: none when not given, the one given for all, or one each. */
    private List<TestTimeAugmentation> augmentations(CommandLine cl) {
        if (tta == null || tta.isEmpty()) {
            return java.util.Collections.nCopies(models.size(), TestTimeAugmentation.NONE);
        }
        if (tta.size() == 1) {
            return java.util.Collections.nCopies(models.size(), tta.get(0));
        }
        if (tta.size() != models.size()) {
            throw new CommandLine.ParameterException(cl, "--tta is given " + tta.size() + " times for "
                    + models.size() + " --model(s): give it once for all, or once per --model");
        }
        return tta;
    }

    private String label(int m, List<TestTimeAugmentation> augmentations) {
        return models.get(m) + augmentations.get(m).describe(" + ");
    }

    private static BenchResult.ModelInfo modelInfo(Path model, PackagedSegmenter segmenter,
                                                   TestTimeAugmentation augmentation) throws IOException {
        ModelMetadata meta = segmenter.metadata();
        String description = String.format(Locale.ROOT, "%s %s, input %dx%d (%s), %d classes", meta.architecture(),
                meta.precision(), meta.inputWidth(), meta.inputHeight(), meta.resize(), meta.labels().size())
                + augmentation.describe(", ");
        return new BenchResult.ModelInfo(model.toString(), Files.size(model), description, meta.provenance());
    }
}
