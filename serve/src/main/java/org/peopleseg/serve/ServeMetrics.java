package org.peopleseg.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The server's Prometheus metrics, through the Prometheus Java client.
 *
 * <p>Per model, Triton's metric names and meanings: {@code nv_inference_request_success},
 * {@code nv_inference_request_failure} (with Triton's {@code reason} label), {@code nv_inference_count},
 * {@code nv_inference_exec_count}, the cumulative {@code nv_inference_request_duration_us},
 * {@code nv_inference_queue_duration_us}, {@code nv_inference_compute_input_duration_us} (decoding),
 * {@code nv_inference_compute_infer_duration_us}, {@code nv_inference_compute_output_duration_us} and the gauge
 * {@code nv_inference_pending_request_count}. Triton writes its counters without the {@code _total} suffix that the
 * Java client's counters always get in the text format, so these are exposed as untyped samples under exactly
 * Triton's names: dashboards written for Triton work unchanged. Our own additions are ordinary client metrics:
 * a latency histogram {@code peopleseg_request_duration_seconds{model,protocol}} and
 * {@code peopleseg_http_responses_total{status}}.
 */
final class ServeMetrics {
    private static final String[] COUNTERS = {
        "nv_inference_request_success", "Number of successful inference requests, all batch sizes",
        "nv_inference_count", "Number of inferences performed (one per image: the graphs take batch 1)",
        "nv_inference_exec_count", "Number of model executions performed",
        "nv_inference_request_duration_us", "Cumulative inference request duration in microseconds",
        "nv_inference_queue_duration_us", "Cumulative inference queuing duration in microseconds",
        "nv_inference_compute_input_duration_us", "Cumulative compute input duration in microseconds (image decoding)",
        "nv_inference_compute_infer_duration_us", "Cumulative compute inference duration in microseconds",
        "nv_inference_compute_output_duration_us", "Cumulative inference compute output duration in microseconds",
    };

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<String, LongAdder> values = new ConcurrentHashMap<>(); // "metric\0model" -> value
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>(); // "model\0reason" -> count
    private final Histogram latency;
    private final Counter responses;
    private final Supplier<List<ServedModel>> models;

    ServeMetrics(Supplier<List<ServedModel>> models) {
        this.models = models;
        latency = Histogram.builder().name("peopleseg_request_duration_seconds")
                .help("Inference request latency, from arrival to the result, by model and protocol")
                .labelNames("model", "protocol")
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
                .classicOnly().withoutExemplars().register(registry);
        responses = Counter.builder().name("peopleseg_http_responses").help("HTTP responses by status code")
                .labelNames("status").withoutExemplars().register(registry);
        // (no exemplars: their sampler starts a non-daemon scheduler thread that would keep a stopped server's JVM up)
        registry.register((MultiCollector) this::tritonSnapshots);
    }

    /** A successful request: its durations. */
    void success(String model, String protocol, long totalNanos, ServedModel.Outcome o, long outputNanos) {
        add("nv_inference_request_success", model, 1);
        add("nv_inference_count", model, 1);
        add("nv_inference_exec_count", model, 1);
        add("nv_inference_request_duration_us", model, totalNanos / 1000);
        add("nv_inference_queue_duration_us", model, o.queueNanos() / 1000);
        add("nv_inference_compute_input_duration_us", model, o.decodeNanos() / 1000);
        add("nv_inference_compute_infer_duration_us", model, o.computeNanos() / 1000);
        add("nv_inference_compute_output_duration_us", model, outputNanos / 1000);
        latency.labelValues(model, protocol).observe(totalNanos / 1e9);
    }

    /** A failed inference request of a known model. */
    void failure(String model, String reason, long totalNanos) {
        failures.computeIfAbsent(model + '\0' + reason, k -> new LongAdder()).increment();
        add("nv_inference_request_duration_us", model, totalNanos / 1000);
    }

    void response(int status) {
        responses.labelValues(Integer.toString(status)).inc();
    }

    private void add(String metric, String model, long v) {
        values.computeIfAbsent(metric + '\0' + model, k -> new LongAdder()).add(v);
    }

    private MetricSnapshots tritonSnapshots() {
        List<MetricSnapshot> out = new ArrayList<>();
        List<ServedModel> loaded = models.get();
        for (int i = 0; i < COUNTERS.length; i += 2) {
            String metric = COUNTERS[i];
            UnknownSnapshot.Builder b = UnknownSnapshot.builder().name(metric).help(COUNTERS[i + 1]);
            values.forEach((k, v) -> {
                int z = k.indexOf('\0');
                if (k.substring(0, z).equals(metric)) {
                    b.dataPoint(point(v.sum(), Labels.of("model", k.substring(z + 1), "version", ModelRepository.VERSION)));
                }
            });
            out.add(b.build());
        }
        UnknownSnapshot.Builder fail = UnknownSnapshot.builder().name("nv_inference_request_failure")
                .help("Number of failed inference requests, all batch sizes");
        failures.forEach((k, v) -> {
            int z = k.indexOf('\0');
            fail.dataPoint(point(v.sum(), Labels.of("model", k.substring(0, z), "reason", k.substring(z + 1),
                    "version", ModelRepository.VERSION)));
        });
        out.add(fail.build());
        UnknownSnapshot.Builder pending = UnknownSnapshot.builder().name("nv_inference_pending_request_count")
                .help("Instantaneous number of pending requests awaiting execution per-model");
        for (ServedModel m : loaded) {
            pending.dataPoint(point(m.pending(), Labels.of("model", m.name(), "version", ModelRepository.VERSION)));
        }
        out.add(pending.build());
        return new MetricSnapshots(out);
    }

    private static UnknownSnapshot.UnknownDataPointSnapshot point(double v, Labels labels) {
        return UnknownSnapshot.UnknownDataPointSnapshot.builder().value(v).labels(labels).build();
    }

    /** The Prometheus text format (version 0.0.4). */
    byte[] scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toByteArray();
    }

    static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }
}
