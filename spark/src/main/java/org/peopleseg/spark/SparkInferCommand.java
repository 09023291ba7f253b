package org.peopleseg.spark;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.peopleseg.core.eval.CocoEvalResult;
import org.peopleseg.core.eval.IouType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code peopleseg spark-infer}: the Spark job from the command line (local mode, or under spark-submit). */
@Command(name = "spark-infer", mixinStandardHelpOptions = true,
        description = {"Segment images with Apache Spark: one model per executor JVM, Parquet rows out, optionally "
                + "the COCO results file and a distributed COCO evaluation.",
            "Example: peopleseg spark-infer --master local[2] --model people.onnx --input photos/ "
                + "--output out.parquet --coco-results results.json"})
final class SparkInferCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int INPUTS_FAILED = 1;
    static final int ERROR = 2;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[2]; under spark-submit leave it out (spark-submit sets it).")
    String master;

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "Model package (.onnx): a path every executor can read, or a file shipped with --files.")
    String model;

    @Option(names = "--input", required = true, paramLabel = "PATH",
            description = "Images: a directory, a glob ('data/*.jpg') or a file, on any Hadoop file system "
                    + "(repeatable).")
    List<String> inputs;

    @Option(names = "--input-list", paramLabel = "FILE",
            description = "A text file of image paths, one a line (a table of paths); added to --input.")
    Path inputList;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Parquet dataset to write (must not exist): path, image_id, width, height, instances, "
                    + "error.")
    String output;

    @Option(names = "--coco-results", paramLabel = "FILE",
            description = "Also write the COCO results JSON (the format of infer's results.json).")
    Path cocoResults;

    @Option(names = "--evaluate", paramLabel = "GT.json",
            description = "COCO annotations: image ids from their file_name, then a distributed COCO evaluation.")
    Path evaluate;

    @Option(names = "--metrics", paramLabel = "FILE",
            description = "With --evaluate: write the stats as JSON here.")
    Path metrics;

    @Option(names = "--threshold", defaultValue = "0.5", paramLabel = "SCORE",
            description = "Keep detections scoring at least this (default ${DEFAULT-VALUE}; evaluate's --min-score "
                    + "is 0.05: use the same value to compare).")
    double threshold;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "ONNX Runtime threads per task (default ${DEFAULT-VALUE}: an executor runs one image per "
                    + "core at a time).")
    int threads;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threshold must be in [0, 1]");
        }
        if (threads < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be 1 or more");
        }
        List<String> all = new java.util.ArrayList<>(inputs);
        if (inputList != null) {
            Files.readAllLines(inputList).stream().map(String::strip).filter(l -> !l.isEmpty()).forEach(all::add);
        }
        SparkSession.Builder b = SparkSession.builder().appName("peopleseg spark-infer");
        if (master != null) {
            b.master(master);
            if (master.startsWith("local")) { // nothing listens beyond this machine; no web UI port to collide on
                b.config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
                        .config("spark.driver.host", "127.0.0.1");
            }
        }
        SparkSession spark = b.getOrCreate();
        try {
            SparkInferJob.Summary s = SparkInferJob.run(spark, new SparkInferJob.Options(model, all, output,
                    cocoResults, evaluate, metrics, threshold, threads));
            print(out, s, spark.sparkContext().defaultParallelism());
            return s.failures().isEmpty() ? OK : INPUTS_FAILED;
        } finally {
            spark.stop();
        }
    }

    private void print(PrintWriter out, SparkInferJob.Summary s, int parallelism) {
        out.printf(Locale.ROOT, "Done: %d of %d images in %.1f s (segmentation %.1f s, %.2f images/s on %d task "
                        + "slots; model load %.2f s), %d detections, %d failed%n", s.processed(), s.images(),
                s.totalSeconds(), s.inferSeconds(), s.images() / Math.max(s.inferSeconds(), 1e-9), parallelism,
                s.loadSeconds(), s.detections(), s.failures().size());
        if (!s.failures().isEmpty()) {
            out.println("Failed:");
            s.failures().forEach(f -> out.println("  " + f));
        }
        for (Map.Entry<IouType, CocoEvalResult> e : s.evaluation().entrySet()) {
            out.println("COCO " + e.getKey().cocoName() + " (distributed evaluation, " + e.getValue().imageCount()
                    + " images):");
            out.println(e.getValue().summaryText().stripTrailing());
        }
        out.println("Results: " + output + " (Parquet)" + (cocoResults != null ? ", " + cocoResults : "")
                + (metrics != null && !s.evaluation().isEmpty() ? ", " + metrics : ""));
        out.flush();
    }
}
