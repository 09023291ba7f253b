package org.peopleseg.serve;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code peopleseg serve}: the model repository behind a KServe v2 / Triton-compatible HTTP server (Jetty 12) and
 * gRPC server (grpc-java on Netty), with Prometheus metrics, the plain {@code /v1/segment} endpoint and the web page.
 * Close it to stop both and release every model session.
 */
public final class InferenceServer implements AutoCloseable {
    private static final int INPUT_BUFFER_BYTES = 64 * 1024;
    private final ServeOptions options;
    private final ModelRepository repository;
    private final org.eclipse.jetty.server.Server http;
    private final ServerConnector connector;
    private final Server grpc;
    private final ScheduledExecutorService poller;
    private final BodyBudget budget;

    private InferenceServer(ServeOptions options, ModelRepository repository, org.eclipse.jetty.server.Server http,
                            ServerConnector connector, Server grpc, ScheduledExecutorService poller,
                            BodyBudget budget) {
        this.budget = budget;
        this.options = options;
        this.repository = repository;
        this.http = http;
        this.connector = connector;
        this.grpc = grpc;
        this.poller = poller;
    }

    /**
     * Loads the repository and starts serving.
     *
     * @param log where model loading and the access log go (one line per request)
     * @throws IOException the repository folder is missing or a port cannot be bound
     */
    public static InferenceServer start(ServeOptions options, PrintWriter log) throws IOException {
        ImageIO.setUseCache(false); // decode uploads in memory, never through temporary files
        ModelRepository repository = new ModelRepository(options, log);
        repository.poll();
        ServeMetrics metrics = new ServeMetrics(repository::models);
        InferenceService service = new InferenceService(repository, metrics, options);

        // Enough threads for every request that may run or wait at once, and a few to answer 503s and health checks
        // meanwhile; the bodies they hold together are bounded by the body budget.
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(16, options.instances() + options.maxQueue() + 8));
        threads.setName("serve-http");
        org.eclipse.jetty.server.Server http = new org.eclipse.jetty.server.Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(true);
        HttpConnectionFactory http11 = new HttpConnectionFactory(config);
        // Bodies are images of 100 KB and more: read them in 64 KB fills instead of Jetty's 8 KB. Each fill of a
        // blocking read is a wake-up of the handler thread by the selector, so this cuts a 240 KB upload from ~30 to
        // ~4 of them.
        http11.setInputBufferSize(INPUT_BUFFER_BYTES);
        ServerConnector connector = new ServerConnector(http, 1, 1, http11);
        connector.setHost(options.host());
        connector.setPort(options.httpPort());
        connector.setIdleTimeout(options.idleTimeout().toMillis());
        http.addConnector(connector);
        BodyBudget budget = BodyBudget.of(options);
        http.setHandler(new HttpRoutes(service, metrics, options, budget, log));
        http.setErrorHandler(new JsonErrorHandler(log));
        Server grpc = null;
        ScheduledExecutorService poller = null;
        try {
            http.start();
            if (options.grpcPort() >= 0) {
                grpc = NettyServerBuilder.forAddress(new InetSocketAddress(options.host(), options.grpcPort()))
                        .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, options.maxBodyBytes()))
                        .addService(new GrpcInference(service, options, log))
                        .intercept(new GrpcApiKey(options.apiKey()))
                        .build().start();
            }
            if (options.poll() != null) {
                poller = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "serve-poll");
                    t.setDaemon(true);
                    return t;
                });
                long ms = options.poll().toMillis();
                poller.scheduleWithFixedDelay(repository::poll, ms, ms, TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            stopQuietly(http, grpc, poller);
            repository.close();
            throw new IOException("could not start the server on " + options.host() + ": " + e.getMessage(), e);
        }
        return new InferenceServer(options, repository, http, connector, grpc, poller, budget);
    }

    /** Bytes of HTTP request bodies the server holds at once at most (past it: 503). */
    public long bodyBudgetBytes() {
        return budget.limit();
    }

    /** For tests in this package: bytes of request bodies reserved now. */
    long bodyBytesHeld() {
        return budget.used();
    }

    /** For tests in this package: the models being served, to hold one busy. */
    ModelRepository repository() {
        return repository;
    }

    /** The HTTP port (the one bound when 0 was asked for). */
    public int httpPort() {
        return connector.getLocalPort();
    }

    /** The gRPC port, or -1 when gRPC is off. */
    public int grpcPort() {
        return grpc == null ? -1 : grpc.getPort();
    }

    public String host() {
        return options.host();
    }

    /** The names of the models being served. */
    public java.util.List<String> models() {
        return repository.models().stream().map(ServedModel::name).toList();
    }

    @Override
    public void close() {
        stopQuietly(http, grpc, poller);
        repository.close();
    }

    private static void stopQuietly(org.eclipse.jetty.server.Server http, Server grpc, ScheduledExecutorService poller) {
        if (poller != null) {
            poller.shutdownNow();
        }
        if (grpc != null) {
            grpc.shutdown();
            try {
                if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
                    grpc.shutdownNow();
                }
            } catch (InterruptedException e) {
                grpc.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        try {
            http.stop();
        } catch (Exception ignored) {
            // stopping: nothing more to do
        }
    }
}
