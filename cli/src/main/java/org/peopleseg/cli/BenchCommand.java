package org.peopleseg.cli;

import org.peopleseg.core.sys.ProcessMemory;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peopleseg.core.StageTimes;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.result.Detections;
import org.peopleseg.models.PackagedSegmenter;
import org.peopleseg.models.Segmenters;
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
                "  peopleseg bench -m people.onnx -i street.jpg -n 500 --json > bench.json"})
final class BenchCommand implements Callable<Integer> {
    static final int SYNTHETIC_WIDTH = 960;
    static final int SYNTHETIC_HEIGHT = 576;

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL",
            description = "A model package ('peopleseg build' / 'import') or a catalogue name such as "
                    + "yolo11n-seg (pulled when not cached; 'peopleseg models available').")
    Path model;

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

    @Option(names = "--json", description = "Print one JSON object instead of the text report.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        InferCommand.checkRanges(cl, threshold, threads);
        if (warmup < 0 || iterations < 1) {
            throw new CommandLine.ParameterException(cl, "--warmup must be 0 or more and --iterations 1 or more");
        }
        PrintWriter log = cl.getErr();
        model = ModelCatalogAccess.resolveModel(model, log);
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
        log.println("Loading " + model + " ...");
        log.flush();
        long t0 = System.nanoTime();
        try (PackagedSegmenter segmenter = Segmenters.open(model, new SessionSettings(threads), threshold)) {
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            ProcessMemory loaded = ProcessMemory.afterGc();
            log.printf(Locale.ROOT, "Warm-up: %d run%s ...%n", warmup, warmup == 1 ? "" : "s");
            log.flush();
            for (int i = 0; i < warmup; i++) {
                segmenter.segment(image, source);
            }
            ProcessMemory warm = ProcessMemory.afterGc();
            log.printf(Locale.ROOT, "Timing %d run%s ...%n", iterations, iterations == 1 ? "" : "s");
            log.flush();
            long[] pre = new long[iterations];
            long[] inf = new long[iterations];
            long[] post = new long[iterations];
            long[] total = new long[iterations];
            Detections last = null;
            long start = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                long s = System.nanoTime();
                last = segmenter.segment(image, source);
                total[i] = System.nanoTime() - s;
                StageTimes t = segmenter.lastTimes();
                pre[i] = t.preprocessNanos();
                inf[i] = t.inferenceNanos();
                post[i] = t.postprocessNanos();
            }
            double timed = (System.nanoTime() - start) / 1e9;
            ProcessMemory end = ProcessMemory.afterGc();
            Map<String, LatencyStats> lat = new LinkedHashMap<>();
            lat.put("preprocess", LatencyStats.ofNanos(pre));
            lat.put("inference", LatencyStats.ofNanos(inf));
            lat.put("postprocess", LatencyStats.ofNanos(post));
            lat.put("total", LatencyStats.ofNanos(total));
            BenchResult result = new BenchResult(modelInfo(segmenter), source, image.getWidth(), image.getHeight(),
                    threads, warmup, iterations, threshold, loadSeconds, timed, last.instances().size(), lat,
                    new BenchResult.Memory(atStart, loaded, warm, end));
            PrintWriter out = cl.getOut();
            out.print(json ? result.json() + "\n" : result.text());
            out.flush();
        }
        return Main.OK;
    }

    private BenchResult.ModelInfo modelInfo(PackagedSegmenter segmenter) throws IOException {
        ModelMetadata meta = segmenter.metadata();
        String description = String.format(Locale.ROOT, "%s %s, input %dx%d (%s), %d classes", meta.architecture(),
                meta.precision(), meta.inputWidth(), meta.inputHeight(), meta.resize(), meta.labels().size());
        return new BenchResult.ModelInfo(model.toString(), Files.size(model), description, meta.provenance());
    }
}
