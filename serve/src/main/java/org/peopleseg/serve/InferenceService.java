package org.peopleseg.serve;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What both protocols call: runs a request on its model and keeps the metrics. Holds the model for the whole request,
 * so a reload or unload meanwhile does not fail it.
 */
final class InferenceService {
    /** A request's result: the model that answered, what it found, and the requested output tensors. */
    record Result(String model, ServedModel.Outcome outcome, List<OutputTensors.Tensor> tensors) {}

    private final ModelRepository repository;
    private final ServeMetrics metrics;
    private final long timeoutNanos;

    InferenceService(ModelRepository repository, ServeMetrics metrics, ServeOptions options) {
        this.repository = repository;
        this.metrics = metrics;
        this.timeoutNanos = options.requestTimeout().toNanos();
    }

    ModelRepository repository() {
        return repository;
    }

    /**
     * @param protocol "http", "grpc" or "segment" (the histogram's label)
     * @param startNanos when the request arrived (its body read counts towards its duration)
     */
    Result infer(InferenceRequest request, String protocol, long startNanos) throws ServeException {
        return infer(request, protocol, startNanos, null);
    }

    /** @param imageName the name results carry (the {@code source} of the detections), null for a generated one */
    Result infer(InferenceRequest request, String protocol, long startNanos, String imageName) throws ServeException {
        checkVersion(request.version());
        try (ModelRepository.Lease lease = repository.acquire(request.model())) {
            ServedModel model = lease.model();
            try {
                String source = "request to model '" + model.name() + "'"
                        + (request.id().isEmpty() ? "" : " (id " + ModelRepository.clip(request.id()) + ")");
                ServedModel.Outcome o = model.segment(() -> request.image().decode(source),
                        imageName != null ? imageName : "image",
                        Math.max(0, timeoutNanos - (System.nanoTime() - startNanos)));
                long t = System.nanoTime();
                List<OutputTensors.Tensor> tensors = OutputTensors.of(o.detections(), request.outputs());
                long outputNanos = System.nanoTime() - t;
                metrics.success(model.name(), protocol, System.nanoTime() - startNanos, o, outputNanos);
                return new Result(model.name(), o, tensors);
            } catch (ServeException e) {
                metrics.failure(model.name(), e.failureReason(), System.nanoTime() - startNanos);
                throw e;
            }
        }
    }

    /**
     * Rejects a request at once when its model is saturated, before its body is parsed: under overload a rejection
     * then costs reading the body and nothing else. (A request admitted here may still be rejected when it reaches
     * the queue.)
     */
    void admit(String model) throws ServeException {
        ServedModel m = repository.get(model);
        if (m.saturated()) {
            ServeException e = m.busy();
            metrics.failure(m.name(), e.failureReason(), 0);
            throw e;
        }
    }

    /** A request for a served model that failed before it reached the model (bad input): counted as a failure. */
    void rejected(String model, ServeException e, long startNanos) {
        if (repository.isReady(model)) {
            metrics.failure(model, e.failureReason(), System.nanoTime() - startNanos);
        }
    }

    /** Every model has the one version "1"; an empty version means "the latest". */
    static void checkVersion(String version) throws ServeException {
        if (version != null && !version.isEmpty() && !version.equals(ModelRepository.VERSION)) {
            throw ServeException.notFound("unknown model version '" + ModelRepository.clip(version)
                    + "': every model has the one version " + ModelRepository.VERSION);
        }
    }

    static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
