package org.peopleseg.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoImage;
import org.peopleseg.core.eval.CocoEvalResult;
import org.peopleseg.core.eval.IouType;
import org.peopleseg.core.result.CocoResultsWriter;

/**
 * The Spark job: list the images, segment them on the executors ({@link SegmentPartition}, one segmenter per
 * executor JVM), write the rows as Parquet, then on the driver the COCO results file and, against a ground truth,
 * the distributed COCO evaluation.
 *
 * <p>The Parquet output is read back for the results file and the evaluation, so the model runs once per image.
 */
final class SparkInferJob {

    /**
     * @param model        a model package on every machine's file system, or shipped with {@code --files}
     * @param output       the Parquet dataset to write (any Hadoop path); must not exist
     * @param cocoResults  results.json to write on the driver, or null
     * @param groundTruth  annotations to evaluate against (image ids then come from their {@code file_name}), or null
     * @param metrics      where the evaluation's numbers go, or null
     * @param threads      ONNX Runtime intra-op threads per concurrent task
     */
    record Options(String model, List<String> inputs, String output, Path cocoResults, Path groundTruth,
            Path metrics, double threshold, int threads) {}

    /** What the job did; failures name the file and the problem. */
    record Summary(int images, int processed, List<String> failures, long detections, double loadSeconds,
            double inferSeconds, double totalSeconds, Map<IouType, CocoEvalResult> evaluation) {}

    private SparkInferJob() {}

    static Summary run(SparkSession spark, Options o) throws IOException {
        long t0 = System.nanoTime();
        // the driver opens the model first: a missing or broken package fails the job here, with one line, before
        // any task starts (in local mode the tasks then share this very segmenter)
        SegmenterHolder.get(o.model(), o.threads(), o.threshold());
        double load = (System.nanoTime() - t0) / 1e9;
        CocoDataset gt = o.groundTruth() == null ? null : CocoDataset.read(o.groundTruth());

        Dataset<Row> images = InputListing.images(spark, o.inputs());
        List<String> paths = InputListing.paths(images);
        if (paths.isEmpty()) {
            throw new IOException(String.join(", ", o.inputs()) + ": no image files (.jpg .jpeg .png .bmp .gif)");
        }
        List<String> failures = new ArrayList<>();
        Map<String, Long> ids = gt == null ? InputListing.idsByFileName(paths) : idsFromGroundTruth(paths, gt);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<Map<String, Long>> idsBroadcast = jsc.broadcast(ids);

        long t1 = System.nanoTime();
        images.mapPartitions(new SegmentPartition(o.model(), o.threads(), o.threshold(), idsBroadcast),
                        Encoders.row(ResultRows.SCHEMA))
                .write().parquet(o.output());
        double infer = (System.nanoTime() - t1) / 1e9;
        idsBroadcast.destroy();

        Dataset<Row> results = spark.read().schema(ResultRows.SCHEMA).parquet(o.output());
        int processed;
        long detections;
        if (o.cocoResults() != null) {
            // the results file is written on the driver, in path order as peopleseg infer writes it: the rows
            // (masks as RLE strings, about the size of results.json) come to the driver once and are sorted there.
            // (a shuffle sort and toLocalIterator, one job per partition, took ~60 s of a 137 s run on 200 images)
            List<Row> rows = new ArrayList<>(results.collectAsList());
            rows.sort(java.util.Comparator.comparing(ResultRows::path));
            processed = 0;
            detections = 0;
            try (CocoResultsWriter writer = CocoResultsWriter.open(o.cocoResults())) {
                for (Row r : rows) {
                    String error = ResultRows.error(r);
                    if (error != null) {
                        failures.add(error);
                        continue;
                    }
                    processed++;
                    var instances = ResultRows.instances(r);
                    detections += instances.size();
                    writer.add(ResultRows.imageId(r), InputListing.fileName(ResultRows.path(r)), ResultRows.width(r),
                            ResultRows.height(r), instances);
                }
                writer.finish();
            }
        } else { // only the counts and the failures travel to the driver
            Row counts = results.agg(functions.count(functions.when(functions.col("error").isNull(), 1)),
                    functions.sum(functions.size(functions.col("instances")))).first();
            processed = (int) counts.getLong(0);
            detections = counts.isNullAt(1) ? 0 : counts.getLong(1);
            for (Row r : results.filter(functions.col("error").isNotNull()).orderBy("path").select("error")
                    .collectAsList()) {
                failures.add(r.getString(0));
            }
        }
        Map<IouType, CocoEvalResult> evaluation = Map.of();
        if (gt != null && processed > 0) {
            evaluation = DistributedEvaluation.evaluate(results, o.groundTruth().toAbsolutePath().toString(), gt);
            if (o.metrics() != null) {
                DistributedEvaluation.write(o.metrics(), evaluation);
            }
        }
        return new Summary(paths.size(), processed, failures, detections, load, infer,
                (System.nanoTime() - t0) / 1e9, evaluation);
    }

    /**
     * With a ground truth, an image's id is the one its {@code file_name} has there (as {@code peopleseg evaluate}
     * finds images); images the ground truth does not list get no id and become failed rows.
     */
    private static Map<String, Long> idsFromGroundTruth(List<String> paths, CocoDataset gt) {
        Map<String, Long> byName = new HashMap<>();
        for (CocoImage im : gt.images()) {
            byName.put(im.fileName(), im.id());
        }
        Map<String, Long> out = new HashMap<>();
        for (String p : paths) {
            Long id = byName.get(InputListing.fileName(p));
            if (id != null) {
                out.put(p, id);
            }
        }
        return out;
    }
}
