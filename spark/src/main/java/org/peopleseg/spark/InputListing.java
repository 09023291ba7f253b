package org.peopleseg.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.peopleseg.core.result.ImageIds;

/**
 * The job's images: Spark's {@code binaryFile} source over a directory, a glob or a list of paths (any Hadoop file
 * system: {@code file:}, {@code hdfs:}, {@code s3a:} ...), image files only (by extension, as {@code infer} picks
 * them), sorted by path, with their COCO image ids ({@link ImageIds}: the same ids {@code peopleseg infer} gives).
 */
final class InputListing {
    static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    private InputListing() {}

    /** The image files of the inputs, with their contents not read yet. */
    static Dataset<Row> images(SparkSession spark, List<String> inputs) {
        Dataset<Row> files = spark.read().format("binaryFile").load(inputs.toArray(String[]::new));
        String extension = "\\.(" + String.join("|", IMAGE_EXTENSIONS) + ")$"; // case-insensitive, as infer's
        return files.filter(functions.lower(files.col("path")).rlike(extension));
    }

    /** Paths (as Spark spells them, e.g. {@code file:/data/a.jpg}), sorted: only the listing, no contents read. */
    static List<String> paths(Dataset<Row> images) {
        List<String> out = new ArrayList<>();
        for (Row r : images.select("path").collectAsList()) {
            out.add(r.getString(0));
        }
        out.sort(null);
        return out;
    }

    /** Ids as {@code peopleseg infer} assigns them to the same files in the same order. */
    static Map<String, Long> idsByFileName(List<String> sortedPaths) {
        long[] ids = ImageIds.assign(sortedPaths.stream().map(p -> ImageIds.stem(fileName(p))).toList());
        Map<String, Long> out = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            out.put(sortedPaths.get(i), ids[i]);
        }
        return out;
    }

    static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** A local file's path as {@code infer} names it in messages ({@code /data/a.jpg}); other URIs as they are. */
    static String displayPath(String path) {
        return path.startsWith("file:") ? path.substring("file:".length()) : path;
    }
}
