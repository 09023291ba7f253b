package org.peopleseg.serve;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Every HTTP endpoint: KServe v2 / Triton ({@code /v2/...}), the plain {@code /v1/segment}, {@code /metrics} and the
 * web page. Checks the API key, maps every failure to its status with a {@code {"error": "..."}} body, and writes one
 * access-log line per request: client, method, path, status, response bytes, milliseconds.
 *
 * <p>A 503 (a full queue, or a body that does not fit the {@link BodyBudget}) is decided before the body is read
 * and carries {@code Connection: close}: the connection ends with the answer, so the server never parses a body it
 * refused, and clients stop sending on seeing it (curl does; one that sent {@code Expect: 100-continue} never
 * sends it). What a client still sends is dropped unread until it closes ({@link LingeringClose}), so that closing
 * does not reset the connection before the client has read the answer. Under overload a refusal then costs its headers and nothing else, where draining bodies that clients
 * retrying at once keep sending took most of the CPU.
 */
final class HttpRoutes extends Handler.Abstract {
    private final InferenceService service;
    private final ServeMetrics metrics;
    private final ServeOptions options;
    private final V2HttpCodec codec;
    private final SegmentEndpoint segment;
    private final WebAssets assets = new WebAssets();
    private final PrintWriter accessLog;
    private final byte[] apiKey;
    private final BodyBudget budget;

    HttpRoutes(InferenceService service, ServeMetrics metrics, ServeOptions options, BodyBudget budget,
               PrintWriter accessLog) {
        this.service = service;
        this.budget = budget;
        this.metrics = metrics;
        this.options = options;
        this.codec = new V2HttpCodec(options.maxBodyBytes());
        this.segment = new SegmentEndpoint(service, options);
        this.accessLog = accessLog;
        this.apiKey = options.apiKey() == null ? null : options.apiKey().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        Reply reply;
        try (BodyBudget.Claim claim = budget.claim()) { // the body is dropped once the reply is made
            reply = route(request, method, path, start, claim);
        } catch (ServeException e) {
            reply = Reply.error(e);
        } catch (RuntimeException e) {
            reply = Reply.error(new ServeException(500, "internal error: " + e));
        }
        boolean closes = reply.status() == 503;
        if (reply.status() >= 400 && reply.status() != 408 && !closes && !method.equals("GET")) {
            // other errors before the body was read (an unknown model, a bad query): drop the rest of it, so a
            // client that writes its whole body before reading sees the answer on a connection that stays open;
            // one too large to drop ends the connection as a refusal does
            closes = !HttpBodies.discardRest(request, System.nanoTime() + options.idleTimeout().toNanos());
        }
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        if (closes) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        metrics.response(reply.status());
        // a body left unread is dropped after the answer until the client closes, so that closing does not reset it
        response.write(true, ByteBuffer.wrap(reply.body()), closes ? LingeringClose.after(request, callback) : callback);
        long tenths = (System.nanoTime() - start + 50_000) / 100_000; // milliseconds to one decimal, without a Formatter
        accessLog.println(new StringBuilder(96).append(Request.getRemoteAddr(request)).append(' ').append(method)
                .append(' ').append(ModelRepository.clip(path)).append(' ').append(reply.status()).append(' ')
                .append(reply.body().length).append(' ').append(tenths / 10).append('.').append(tenths % 10)
                .append("ms"));
        accessLog.flush();
        return true;
    }

    private Reply route(Request request, String method, String path, long start, BodyBudget.Claim claim)
            throws ServeException {
        if (path.equals("/v2/health/live") || path.equals("/v2/health/ready")) {
            requireMethod(method, "GET");
            // ready: the server answers and has a model to serve (Triton: every model that should load has)
            boolean ok = path.endsWith("live") || !service.repository().models().isEmpty();
            return ok ? Reply.json(200, Reply.json(g -> g.writeBooleanField(path.endsWith("live") ? "live" : "ready", true)))
                    : Reply.error(new ServeException(503, "no model is loaded"));
        }
        Reply asset = method.equals("GET") ? assets.get(path) : null;
        if (asset != null) {
            return asset; // the page's own files carry no data; the API calls they make need the key
        }
        checkKey(request);
        if (path.equals("/metrics")) {
            requireMethod(method, "GET");
            try {
                return new Reply(200, ServeMetrics.contentType(), metrics.scrape(), Map.of());
            } catch (IOException e) {
                throw new ServeException(500, "metrics: " + e.getMessage(), e);
            }
        }
        if (path.equals("/v1/segment")) {
            requireMethod(method, "POST");
            return segment.handle(request, start, claim);
        }
        if (path.equals("/v1/models")) {
            requireMethod(method, "GET");
            return Reply.json(200, ModelJson.list(service.repository().models()));
        }
        if (path.equals("/v2") || path.equals("/v2/")) {
            requireMethod(method, "GET");
            return Reply.json(200, Reply.json(g -> {
                g.writeStringField("name", "peopleseg");
                g.writeStringField("version", options.serverVersion());
                g.writeArrayFieldStart("extensions");
                for (String e : TensorSpec.EXTENSIONS) {
                    g.writeString(e);
                }
                g.writeEndArray();
            }));
        }
        String[] p = path.split("/", -1); // "", "v2", ...
        if (p.length >= 4 && p[1].equals("v2") && p[2].equals("repository")) {
            return repository(request, method, p, claim);
        }
        if (p.length >= 4 && p[1].equals("v2") && p[2].equals("models")) {
            String name = p[3];
            int i = 4;
            String version = "";
            if (p.length >= 6 && p[4].equals("versions")) {
                version = p[5];
                i = 6;
            }
            String action = p.length == i ? "" : p.length == i + 1 ? p[i] : null;
            if (action != null) {
                switch (action) {
                    case "" -> {
                        requireMethod(method, "GET");
                        InferenceService.checkVersion(version);
                        return Reply.json(200, ModelJson.metadata(service.repository().get(name)));
                    }
                    case "ready" -> {
                        requireMethod(method, "GET");
                        InferenceService.checkVersion(version);
                        service.repository().get(name);
                        return Reply.json(200, Reply.json(g -> {
                            g.writeStringField("name", name);
                            g.writeBooleanField("ready", true);
                        }));
                    }
                    case "infer" -> {
                        requireMethod(method, "POST");
                        return infer(request, name, version, start, claim);
                    }
                    default -> {
                    }
                }
            }
        }
        throw ServeException.notFound("no endpoint " + method + " " + ModelRepository.clip(path));
    }

    private Reply infer(Request request, String name, String version, long start, BodyBudget.Claim claim)
            throws ServeException {
        service.admit(name); // a 404 or 503 before reading a body the model cannot take now
        InferenceRequest r;
        try {
            byte[] body = HttpBodies.read(request, options.maxBodyBytes(), start + options.requestTimeout().toNanos(),
                    claim);
            String headerLength = request.getHeaders().get(V2HttpCodec.HEADER_LENGTH);
            long jsonLength = -1;
            if (headerLength != null) {
                try {
                    jsonLength = Long.parseLong(headerLength.trim());
                } catch (NumberFormatException e) {
                    throw ServeException.badRequest(V2HttpCodec.HEADER_LENGTH + " is not a number: "
                            + ModelRepository.clip(headerLength));
                }
            }
            r = codec.parse(name, version, body, jsonLength);
        } catch (ServeException e) {
            service.rejected(name, e, start);
            throw e;
        }
        V2HttpCodec.Body out = codec.write(service.infer(r, "http", start), r);
        if (out.jsonLength() < 0) {
            return Reply.json(200, out.bytes());
        }
        return new Reply(200, "application/octet-stream", out.bytes(),
                Map.of(V2HttpCodec.HEADER_LENGTH, Integer.toString(out.jsonLength())));
    }

    private Reply repository(Request request, String method, String[] p, BodyBudget.Claim claim)
            throws ServeException {
        requireMethod(method, "POST");
        ModelRepository repo = service.repository();
        if (p.length == 4 && p[3].equals("index")) {
            List<ModelRepository.Entry> entries;
            try {
                entries = repo.index();
            } catch (IOException e) {
                throw new ServeException(500, "model repository: " + e.getMessage(), e);
            }
            return Reply.json(200, ModelJson.index(entries));
        }
        if (p.length == 6 && p[3].equals("models") && (p[5].equals("load") || p[5].equals("unload"))) {
            // a load/unload body may carry Triton's parameters; none are needed here, but it must fit the limit
            HttpBodies.read(request, 1 << 16, System.nanoTime() + options.requestTimeout().toNanos(), claim);
            if (p[5].equals("load")) {
                repo.load(p[4]);
            } else {
                repo.unload(p[4]);
            }
            return Reply.json(200, "{}".getBytes(StandardCharsets.UTF_8));
        }
        throw ServeException.notFound("no repository endpoint " + ModelRepository.clip(String.join("/", p)));
    }

    private static void requireMethod(String method, String allowed) throws ServeException {
        if (!method.equals(allowed)) {
            throw new ServeException(405, "method " + method + " not allowed here: use " + allowed);
        }
    }

    private void checkKey(Request request) throws ServeException {
        if (apiKey == null) {
            return;
        }
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        byte[] given = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                ? auth.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, apiKey)) { // constant time: the key does not leak through timing
            throw new ServeException(401, "missing or wrong API key: send 'Authorization: Bearer KEY'");
        }
    }
}
