package org.peopleseg.serve;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a server runs.
 *
 * @param modelsDir      the model repository: every {@code NAME.onnx} package in it is served as model NAME
 * @param host           the address to bind (127.0.0.1 unless told otherwise)
 * @param httpPort       0 for any free port
 * @param grpcPort       0 for any free port, -1 for no gRPC
 * @param instances      sessions per model (Triton's instance_group count): requests run in parallel up to this
 * @param maxQueue       requests that may wait for a session per model; the next one is answered 503 at once
 * @param threads        ONNX Runtime intra-op threads per session, 0 for its default
 * @param spin           let ONNX Runtime's idle threads spin (its default; off here, see {@link ServedModel})
 * @param threshold      score threshold of every model
 * @param poll           how often the repository is rescanned, null for never (then only load/unload change it)
 * @param apiKey         a Bearer token required on every endpoint but health, null for none
 * @param maxBodyBytes   a larger request body is answered 413
 * @param requestTimeout a request still waiting for a session after this is answered 504
 * @param idleTimeout    a client that sends nothing for this long is cut off (408 while its body is awaited)
 * @param bodyBudgetBytes request bodies held at once, all requests together, 0 for {@link BodyBudget#automatic}
 * @param serverVersion  reported by server metadata
 */
public record ServeOptions(Path modelsDir, String host, int httpPort, int grpcPort, int instances, int maxQueue,
                           int threads, boolean spin, double threshold, Duration poll, String apiKey, long maxBodyBytes,
                           Duration requestTimeout, Duration idleTimeout, long bodyBudgetBytes,
                           String serverVersion) {
    public static final long DEFAULT_MAX_BODY_BYTES = 32L << 20;
    /** As deep as typical client counts: 32 closed-loop clients are served, not refused (README, serve). */
    public static final int DEFAULT_MAX_QUEUE = 64;

    public ServeOptions {
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be 1 or more, got " + instances);
        }
        if (maxQueue < 0) {
            throw new IllegalArgumentException("the queue size must be 0 or more, got " + maxQueue);
        }
        if (bodyBudgetBytes < 0) {
            throw new IllegalArgumentException("the body budget must be 0 (automatic) or more, got " + bodyBudgetBytes);
        }
        if (apiKey != null && apiKey.isBlank()) {
            throw new IllegalArgumentException("the API key is blank");
        }
    }

    /**
     * Defaults for everything but the repository: loopback, any free ports, the automatic {@link Concurrency}, queue
     * {@value #DEFAULT_MAX_QUEUE}, the automatic body budget.
     */
    public static ServeOptions defaults(Path modelsDir) {
        Concurrency c = Concurrency.choose(null, null, Concurrency.cores());
        return new ServeOptions(modelsDir, "127.0.0.1", 0, 0, c.instances(), DEFAULT_MAX_QUEUE, c.threads(), false, 0.5,
                null, null, DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(30), Duration.ofSeconds(10), 0, "dev");
    }

    public ServeOptions withBodyBudget(long bytes) {
        return new ServeOptions(modelsDir, host, httpPort, grpcPort, instances, maxQueue, threads, spin, threshold,
                poll, apiKey, maxBodyBytes, requestTimeout, idleTimeout, bytes, serverVersion);
    }

    public ServeOptions withPorts(int http, int grpc) {
        return new ServeOptions(modelsDir, host, http, grpc, instances, maxQueue, threads, spin, threshold,
                poll, apiKey, maxBodyBytes, requestTimeout, idleTimeout, bodyBudgetBytes, serverVersion);
    }

    public ServeOptions withConcurrency(int instances, int maxQueue, int threads) {
        return new ServeOptions(modelsDir, host, httpPort, grpcPort, instances, maxQueue, threads, spin, threshold,
                poll, apiKey, maxBodyBytes, requestTimeout, idleTimeout, bodyBudgetBytes, serverVersion);
    }

    public ServeOptions withSpin(boolean spin) {
        return new ServeOptions(modelsDir, host, httpPort, grpcPort, instances, maxQueue, threads, spin, threshold,
                poll, apiKey, maxBodyBytes, requestTimeout, idleTimeout, bodyBudgetBytes, serverVersion);
    }

    public ServeOptions withPoll(Duration poll) {
        return new ServeOptions(modelsDir, host, httpPort, grpcPort, instances, maxQueue, threads, spin, threshold,
                poll, apiKey, maxBodyBytes, requestTimeout, idleTimeout, bodyBudgetBytes, serverVersion);
    }

    public ServeOptions withApiKey(String key) {
        return new ServeOptions(modelsDir, host, httpPort, grpcPort, instances, maxQueue, threads, spin, threshold,
                poll, key, maxBodyBytes, requestTimeout, idleTimeout, bodyBudgetBytes, serverVersion);
    }

    public ServeOptions withLimits(long maxBodyBytes, Duration requestTimeout, Duration idleTimeout) {
        return new ServeOptions(modelsDir, host, httpPort, grpcPort, instances, maxQueue, threads, spin, threshold,
                poll, apiKey, maxBodyBytes, requestTimeout, idleTimeout, bodyBudgetBytes, serverVersion);
    }

    public ServeOptions withThreshold(double threshold) {
        return new ServeOptions(modelsDir, host, httpPort, grpcPort, instances, maxQueue, threads, spin, threshold,
                poll, apiKey, maxBodyBytes, requestTimeout, idleTimeout, bodyBudgetBytes, serverVersion);
    }

    public ServeOptions withHost(String host, String serverVersion) {
        return new ServeOptions(modelsDir, host, httpPort, grpcPort, instances, maxQueue, threads, spin, threshold,
                poll, apiKey, maxBodyBytes, requestTimeout, idleTimeout, bodyBudgetBytes, serverVersion);
    }
}
