package org.peopleseg.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;
import org.peopleseg.models.PackagedSegmenter;
import org.peopleseg.models.Segmenters;
import org.peopleseg.runtime.session.SessionSettings;

/**
 * The one {@link PackagedSegmenter} of this JVM (a Spark executor, or the driver in local mode): opened by the first
 * task that needs it, shared by every later task and every task thread, closed by a shutdown hook when the executor
 * exits. Loading a package costs 0.1-1 s and its memory once per JVM instead of once per task or partition.
 *
 * <p>Sharing across task threads is safe: ONNX Runtime's {@code OrtSession.run} is thread-safe, and the segmenters
 * keep no per-call state apart from their last stage timings (which this job does not read). Each concurrent task
 * runs the network on its own thread (ONNX Runtime intra-op threads: {@code --threads}, default 1), so an executor
 * with N cores runs N images at a time, pre- and post-processing included.
 *
 * <p>This is the one place with JVM-wide mutable state in the project, on purpose: Spark gives a task no other way
 * to reach something that lives as long as its executor.
 */
final class SegmenterHolder {
    private static final Object LOCK = new Object();
    private static PackagedSegmenter segmenter;
    private static String key;

    private SegmenterHolder() {}

    /**
     * @param model a path on this machine's file system, or the name of a file shipped with {@code --files}
     *              (found with {@link SparkFiles#get})
     */
    static PackagedSegmenter get(String model, int threads, double threshold) {
        String wanted = model + "|" + threads + "|" + threshold;
        synchronized (LOCK) {
            if (segmenter != null && wanted.equals(key)) {
                return segmenter;
            }
            if (segmenter != null) { // another job in the same JVM (tests): replace
                segmenter.close();
                segmenter = null;
            }
            try {
                segmenter = Segmenters.open(resolve(model), new SessionSettings(threads), threshold);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
            if (key == null) {
                Runtime.getRuntime().addShutdownHook(new Thread(SegmenterHolder::close, "peopleseg-segmenter-close"));
            }
            key = wanted;
            return segmenter;
        }
    }

    /** The model file: as given when it exists here, else the copy Spark shipped with {@code --files}. */
    static Path resolve(String model) throws IOException {
        Path direct = Path.of(model.startsWith("file:") ? model.substring("file:".length()) : model);
        if (Files.isRegularFile(direct)) {
            return direct;
        }
        String shipped;
        try {
            shipped = SparkFiles.get(direct.getFileName().toString());
        } catch (RuntimeException e) { // no SparkContext here
            throw new IOException(model + ": no such model file", e);
        }
        Path p = Path.of(shipped);
        if (!Files.isRegularFile(p)) {
            throw new IOException(model + ": no such model file (neither on this machine nor shipped with --files)");
        }
        return p;
    }

    static void close() {
        synchronized (LOCK) {
            if (segmenter != null) {
                segmenter.close();
                segmenter = null;
            }
        }
    }
}
