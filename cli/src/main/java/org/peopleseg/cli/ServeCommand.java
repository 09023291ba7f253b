package org.peopleseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.peopleseg.serve.Concurrency;
import org.peopleseg.serve.InferenceServer;
import org.peopleseg.serve.ServeOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code peopleseg serve}: a KServe v2 / Triton-compatible inference server over a folder of model packages. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
                "Serve model packages over HTTP and gRPC (KServe Open Inference Protocol v2, Triton-compatible).",
                "",
                "Every NAME.onnx in the models folder is served as model NAME, version 1. Endpoints:",
                "  GET  /                         a web page: drop an image, see masks, boxes, scores",
                "  GET  /v2, /v2/health/live|ready, /v2/models/NAME[/ready]",
                "  POST /v2/models/NAME/infer     input 'image' BYTES [1] (base64 or binary) or UINT8 [H,W,3];",
                "                                 outputs boxes, scores, labels, masks (COCO RLE strings)",
                "  POST /v2/repository/index, /v2/repository/models/NAME/load|unload",
                "  POST /v1/segment[?model=NAME&format=json|png]   the per-image JSON 'infer' writes, or a PNG",
                "  GET  /metrics                  Prometheus, with Triton's metric names",
                "gRPC: inference.GRPCInferenceService on --grpc-port (serve/src/main/proto/grpc_predict_v2.proto).",
                "",
                "One access-log line per request goes to standard error. Ctrl-C stops the server.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  peopleseg serve --models models/",
                "  peopleseg serve --models models/ --instances 1 --threads 2 --max-queue 8 --poll 5 --api-key \"$KEY\"",
                "  curl -s --data-binary @photo.jpg 'http://127.0.0.1:8000/v1/segment?model=people'"})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--models", required = true, paramLabel = "DIR", description = "The model repository folder.")
    Path models;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for all).")
    String host;

    @Option(names = "--port", defaultValue = "8000", paramLabel = "PORT", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--grpc-port", defaultValue = "8001", paramLabel = "PORT",
            description = "gRPC port (default: ${DEFAULT-VALUE}; -1 for no gRPC).")
    int grpcPort;

    @Option(names = "--instances", paramLabel = "N",
            description = "Sessions per model: requests run in parallel up to N (default: one per core, at least 2, "
                    + "each of 1 thread; with --threads T: cores / T). --instances 1 suits a single client best.")
    Integer instances;

    @Option(names = "--max-queue", defaultValue = "" + ServeOptions.DEFAULT_MAX_QUEUE, paramLabel = "Q",
            description = "Requests that may wait per model; more are answered 503 at once (default: ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--threads", paramLabel = "N",
            description = "ONNX Runtime threads per session (default: 1; with --instances N: cores / N; "
                    + "0 = ONNX Runtime's default, one per physical core).")
    Integer threads;

    @Option(names = "--spin",
            description = "Let ONNX Runtime's idle threads spin between operators and requests (its default): a little "
                    + "lower latency for one client on an otherwise idle machine; off, they sleep and leave the cores "
                    + "to decoding the next request and to the rest of the machine.")
    boolean spin;

    @Option(names = {"-t", "--threshold"}, defaultValue = "0.5", paramLabel = "SCORE",
            description = "Keep detections scoring above this (default: ${DEFAULT-VALUE}), as 'infer'.")
    double threshold;

    @Option(names = "--poll", paramLabel = "SECONDS",
            description = "Rescan the folder every SECONDS: load new and changed packages, unload removed ones.")
    Double poll;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Require 'Authorization: Bearer KEY' on every endpoint but health and the page's files.")
    String apiKey;

    @Option(names = "--max-body", defaultValue = "32", paramLabel = "MB",
            description = "Largest request body in MiB (default: ${DEFAULT-VALUE}); larger ones get 413.")
    int maxBodyMb;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "A request not started within this gets 504 (default: ${DEFAULT-VALUE}).")
    double timeout;

    @Option(names = "--read-timeout", defaultValue = "10", paramLabel = "SECONDS",
            description = "A client silent this long is cut off (default: ${DEFAULT-VALUE}).")
    double readTimeout;

    @Override
    public Integer call() throws IOException, InterruptedException {
        CommandLine cl = spec.commandLine();
        InferCommand.checkRanges(cl, threshold, threads == null ? 0 : threads);
        if ((instances != null && instances < 1) || maxQueue < 0 || maxBodyMb < 1 || !(timeout > 0) || !(readTimeout > 0)
                || (poll != null && !(poll > 0))) {
            throw new CommandLine.ParameterException(cl, "--instances, --max-body, --timeout, --read-timeout and "
                    + "--poll must be positive, --max-queue 0 or more");
        }
        Concurrency concurrency = Concurrency.choose(instances, threads, Concurrency.cores());
        ServeOptions options = new ServeOptions(models, host, port, grpcPort, concurrency.instances(), maxQueue,
                concurrency.threads(), spin, threshold, poll == null ? null : Duration.ofMillis(Math.round(poll * 1000)),
                apiKey, (long) maxBodyMb << 20,
                Duration.ofMillis(Math.round(timeout * 1000)), Duration.ofMillis(Math.round(readTimeout * 1000)), 0,
                VersionProvider.peoplesegVersion());
        PrintWriter err = cl.getErr();
        PrintWriter out = cl.getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        InferenceServer server;
        try {
            server = InferenceServer.start(options, err);
        } catch (IOException e) {
            throw CliException.error(e.getMessage());
        }
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "peopleseg-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("Serving %d model%s %s on http://%s:%d/%s%n", server.models().size(),
                server.models().size() == 1 ? "" : "s", server.models(), host, server.httpPort(),
                server.grpcPort() >= 0 ? " and gRPC " + host + ":" + server.grpcPort() : "");
        out.printf("Each model: %s%s, queue %d; request bodies held at once up to %d MiB%n", concurrency.describe(),
                concurrency.automatic().isEmpty() ? "" : " (automatic " + concurrency.automatic() + ")", maxQueue,
                server.bodyBudgetBytes() >> 20);
        if (server.models().isEmpty()) {
            out.println("No model loaded yet: put NAME.onnx packages into " + models
                    + (poll == null ? " and load them with POST /v2/repository/models/NAME/load" : ""));
        }
        out.flush();
        stopped.await();
        return Main.OK;
    }
}
