package org.peopleseg.cli;

import org.peopleseg.core.sys.ProcessMemory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code peopleseg bench} measured, and its two renderings: a trtexec-style text report and one JSON object.
 *
 * @param model       model file, size and metadata in words
 * @param latencies   by stage: "preprocess", "inference", "postprocess", "total" (wall time of one call)
 * @param threads     requested ONNX Runtime threads, 0 = its default
 * @param memory      samples at start (before loading), after loading, after warm-up and at the end
 */
record BenchResult(ModelInfo model, String input, int imageWidth, int imageHeight, int threads, int warmup,
                   int iterations, double threshold, double loadSeconds, double timedSeconds, int lastDetections,
                   Map<String, LatencyStats> latencies, Memory memory) {

    record ModelInfo(String path, long bytes, String description, String provenance) {}

    /** Samples after GC: at start (before loading the model), after loading, after warm-up, at the end. */
    record Memory(ProcessMemory start, ProcessMemory loaded, ProcessMemory warm, ProcessMemory end) {
        Map<String, ProcessMemory> samples() {
            Map<String, ProcessMemory> m = new LinkedHashMap<>();
            m.put("start", start);
            m.put("loaded", loaded);
            m.put("after warm-up", warm);
            m.put("end", end);
            return m;
        }
    }

    double throughput() {
        return iterations / timedSeconds;
    }

    String text() {
        StringBuilder b = new StringBuilder();
        line(b, "Model", model.path() + " (" + Units.megabytes(model.bytes()) + ")" + (model.description().isEmpty()
                ? "" : ": " + model.description()));
        if (!model.provenance().isEmpty()) {
            line(b, "Weights", model.provenance());
        }
        line(b, "Input", input + " (" + imageWidth + "x" + imageHeight + "), score threshold " + threshold);
        line(b, "Threads", (threads == 0 ? "ONNX Runtime default (one per physical core)" : String.valueOf(threads))
                + "; " + Runtime.getRuntime().availableProcessors() + " CPUs; Java " + System.getProperty("java.version")
                + ", ONNX Runtime " + VersionProvider.onnxRuntimeVersion());
        line(b, "Runs", iterations + " timed after " + warmup + " warm-up; model loaded in "
                + String.format(Locale.ROOT, "%.2f s", loadSeconds) + "; " + lastDetections
                + " detections in the last run");
        line(b, "Throughput", String.format(Locale.ROOT, "%.3f images/s (%d in %.2f s)", throughput(), iterations,
                timedSeconds));
        b.append('\n');
        b.append(String.format(Locale.ROOT, "%-14s", "Latency (ms)"));
        for (String n : LatencyStats.NAMES) {
            b.append(String.format(Locale.ROOT, "%10s", n));
        }
        b.append('\n');
        latencies.forEach((stage, s) -> {
            b.append(String.format(Locale.ROOT, "%-14s", stage));
            for (double v : s.values()) {
                b.append(String.format(Locale.ROOT, "%10.1f", v));
            }
            b.append('\n');
        });
        b.append('\n');
        line(b, "Memory", "after GC; RSS = resident set size, heap = Java heap in use");
        b.append(String.format(Locale.ROOT, "  %-18s%10s%10s%n", "", "RSS MiB", "heap MiB"));
        memory.samples().forEach((name, m) -> b.append(String.format(Locale.ROOT, "  %-18s%10s%10s%n", name,
                mib(m.rssBytes()), mib(m.heapUsedBytes()))));
        b.append(String.format(Locale.ROOT, "  %-18s%10s%10s%n", "change over runs",
                delta(memory.warm().rssBytes(), memory.end().rssBytes()),
                delta(memory.warm().heapUsedBytes(), memory.end().heapUsedBytes())));
        b.append(String.format(Locale.ROOT, "  %-18s%10s%n", "peak (VmHWM)", mib(memory.end().peakBytes())));
        return b.toString();
    }

    String json() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ObjectNode m = root.putObject("model");
        m.put("path", model.path());
        m.put("bytes", model.bytes());
        m.put("description", model.description());
        m.put("provenance", model.provenance());
        ObjectNode in = root.putObject("input");
        in.put("source", input);
        in.put("width", imageWidth);
        in.put("height", imageHeight);
        root.put("threads", threads);
        root.put("cpus", Runtime.getRuntime().availableProcessors());
        root.put("warmup", warmup);
        root.put("iterations", iterations);
        root.put("threshold", threshold);
        root.put("load_seconds", round(loadSeconds));
        root.put("timed_seconds", round(timedSeconds));
        root.put("throughput_images_per_second", round(throughput()));
        root.put("detections_last_run", lastDetections);
        ObjectNode lat = root.putObject("latency_ms");
        latencies.forEach((stage, s) -> {
            ObjectNode o = lat.putObject(stage);
            double[] v = s.values();
            for (int i = 0; i < v.length; i++) {
                o.put(LatencyStats.NAMES[i], round(v[i]));
            }
        });
        ObjectNode mem = root.putObject("memory_mib");
        memory.samples().forEach((name, sample) -> {
            ObjectNode o = mem.putObject(name.replace(' ', '_').replace("-", ""));
            putMib(o, "rss", sample.rssBytes());
            putMib(o, "heap_used", sample.heapUsedBytes());
            putMib(o, "heap_committed", sample.heapCommittedBytes());
        });
        putMib(mem, "peak_rss", memory.end().peakBytes());
        ObjectNode versions = root.putObject("versions");
        versions.put("peopleseg", VersionProvider.peoplesegVersion());
        versions.put("onnxruntime", VersionProvider.onnxRuntimeVersion());
        versions.put("java", System.getProperty("java.version"));
        return root.toString();
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append(String.format(Locale.ROOT, "%-14s%s%n", key + ":", value));
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", ProcessMemory.mib(bytes));
    }

    private static void putMib(ObjectNode o, String key, long bytes) {
        if (bytes < 0) {
            o.putNull(key);
        } else {
            o.put(key, round(ProcessMemory.mib(bytes)));
        }
    }

    private static String delta(long from, long to) {
        return from < 0 || to < 0 ? "n/a" : String.format(Locale.ROOT, "%+.0f", ProcessMemory.mib(to - from));
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
