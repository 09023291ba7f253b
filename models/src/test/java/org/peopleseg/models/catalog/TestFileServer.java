package org.peopleseg.models.catalog;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on the loopback interface (the JDK's com.sun.net.httpserver) that serves files by name and can
 * misbehave the ways the internet does: cut the connection mid-file, stall without closing, trickle, ignore Range.
 * Every request's path and Range header is recorded.
 */
final class TestFileServer implements AutoCloseable {
    /** How the server treats a request; {@code request} counts from 1 per file. */
    enum Behaviour { NORMAL, CUT_FIRST, STALL, STALL_BEFORE_HEADERS, TRICKLE, IGNORE_RANGE }

    record Request(String path, String range) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-file-server");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Behaviour behaviour = Behaviour.NORMAL;
    private volatile int cutAt = 100_000;

    TestFileServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    TestFileServer serve(String name, byte[] content) {
        files.put("/" + name, content);
        return this;
    }

    TestFileServer behave(Behaviour b, int bytesBeforeMisbehaving) {
        behaviour = b;
        cutAt = bytesBeforeMisbehaving;
        return this;
    }

    /** The base URL, e.g. http://127.0.0.1:PORT */
    String base() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    String url(String name) {
        return base() + "/" + name;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(new Request(path, range));
        int n = counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        byte[] content = files.get(path);
        try (ex) {
            if (content == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            if (behaviour == Behaviour.STALL_BEFORE_HEADERS) {
                waitForClose();
                return;
            }
            int start = 0;
            if (range != null && range.startsWith("bytes=") && behaviour != Behaviour.IGNORE_RANGE) {
                start = Integer.parseInt(range.substring(6, range.indexOf('-')));
                if (start >= content.length) {
                    ex.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                ex.getResponseHeaders().add("Content-Range",
                        "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
                ex.sendResponseHeaders(206, content.length - start);
            } else {
                ex.sendResponseHeaders(200, content.length);
            }
            OutputStream out = ex.getResponseBody();
            switch (behaviour) {
                case CUT_FIRST -> {
                    if (n == 1) {
                        out.write(content, start, Math.min(cutAt, content.length - start));
                        out.flush();
                        // closing with bytes missing makes the JDK server drop the connection
                        return;
                    }
                    out.write(content, start, content.length - start);
                }
                case STALL -> {
                    out.write(content, start, Math.min(cutAt, content.length - start));
                    out.flush();
                    waitForClose();
                }
                case TRICKLE -> {
                    for (int i = start; i < content.length; i += 4096) {
                        out.write(content, i, Math.min(4096, content.length - i));
                        out.flush();
                        if (closing.await(50, TimeUnit.MILLISECONDS)) {
                            return;
                        }
                    }
                }
                default -> out.write(content, start, content.length - start);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (a cancelled download): nothing to do
        }
    }

    private void waitForClose() {
        try {
            closing.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
