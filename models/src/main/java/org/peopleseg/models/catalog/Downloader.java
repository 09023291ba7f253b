package org.peopleseg.models.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.peopleseg.core.io.Sha256;

/**
 * Fetches one file over HTTP(S) into place, verified. The bytes go to {@code NAME.part} beside the target; an
 * interrupted transfer (a dropped connection, Ctrl-C, a stall) is resumed from the part file with an HTTP
 * {@code Range} request, by a retry within the same call or by the next call. Only when the complete file has the
 * expected size and SHA-256 is it renamed atomically to its final name, so a file under that name is always whole
 * and checked. A part file whose hash is wrong is deleted.
 *
 * <p>java.net.http honours the JVM's standard proxy properties ({@code https.proxyHost}, {@code http.nonProxyHosts}
 * ...) through {@link ProxySelector#getDefault()}. The connect timeout covers TCP/TLS set-up, the read timeout both
 * the wait for response headers and any gap between body bytes (a watchdog ends a stalled transfer), so an absent
 * network fails in seconds instead of hanging.
 */
public final class Downloader {
    /**
     * @param connectTimeout TCP + TLS handshake
     * @param readTimeout    longest wait for the response headers or between two chunks of the body
     * @param attempts       transfers tried per call (a retry resumes where the last one stopped, and is made
     *                       only when the previous attempt received bytes)
     */
    public record Settings(Duration connectTimeout, Duration readTimeout, int attempts) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(10), Duration.ofSeconds(20), 4);
        }
    }

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final Settings settings;
    private final HttpClient client;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile Thread worker;
    private volatile InputStream body;

    public Downloader(Settings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL) // github.com/raw redirects to its content host
                .proxy(ProxySelector.getDefault())
                .build();
    }

    /** Asks a running {@link #download} to stop (Ctrl-C); it throws, keeping the part file for a resume. */
    public void cancel() {
        cancelled.set(true);
        abortTransfer();
    }

    /** The part file a download of {@code target} writes to. */
    public static Path partFile(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    /**
     * Downloads {@code url} to {@code target}.
     *
     * @param expectedBytes the exact size, or 0 when unknown (then only the hash decides)
     * @return the file's SHA-256 in hex, as measured
     * @throws DownloadException the URL and what went wrong; {@code target} is then untouched
     */
    public String download(URI url, long expectedBytes, HashCheck hash, Path target, TransferListener listener)
            throws DownloadException {
        String u = url.toString();
        Path part = partFile(target);
        worker = Thread.currentThread();
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            checkFreeSpace(u, part, expectedBytes);
            boolean complete = false;
            for (int attempt = 1; !complete; attempt++) {
                long before = Files.exists(part) ? Files.size(part) : 0;
                try {
                    complete = transfer(url, expectedBytes, part, listener);
                } catch (DownloadException e) {
                    long after = Files.exists(part) ? Files.size(part) : 0;
                    boolean progressed = after > before;
                    if (cancelled.get() || !progressed || attempt >= settings.attempts()) {
                        throw e;
                    }
                    listener.message("connection lost at " + after + " bytes (" + e.problem() + "); resuming");
                }
            }
            String sha = verify(u, part, expectedBytes, hash);
            moveIntoPlace(part, target);
            return sha;
        } catch (DownloadException e) {
            throw e;
        } catch (IOException e) {
            throw new DownloadException(u, "cannot write " + part + ": " + describe(e), e);
        } finally {
            listener.finished();
            worker = null;
            Thread.interrupted(); // an interrupt meant for the transfer must not leak to the caller's next wait
        }
    }

    /**
     * One HTTP request: appends to the part file from its current size (Range) or starts it again.
     *
     * @return true when the server had nothing more to send (the file is complete as far as it knows)
     */
    private boolean transfer(URI url, long expectedBytes, Path part, TransferListener listener) throws IOException {
        String u = url.toString();
        long offset = Files.exists(part) ? Files.size(part) : 0;
        if (expectedBytes > 0 && offset > expectedBytes) {
            Files.delete(part); // longer than the file can be: not ours
            offset = 0;
        }
        if (expectedBytes > 0 && offset == expectedBytes) {
            return true;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(settings.readTimeout())
                .header("User-Agent", "peopleseg");
        if (offset > 0) {
            request.header("Range", "bytes=" + offset + "-");
        }
        checkCancelled(u);
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            throw new DownloadException(u, cancelled.get() ? interruptedProblem(part) : "interrupted", e);
        } catch (IOException e) {
            throw new DownloadException(u, describe(e), e);
        }
        int status = response.statusCode();
        boolean append;
        long total = expectedBytes;
        if (status == 206 && offset > 0) {
            Matcher m = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
            append = m.matches() && Long.parseLong(m.group(1)) == offset;
            if (m.matches() && total == 0 && !m.group(3).equals("*")) {
                total = Long.parseLong(m.group(3));
            }
        } else if (status == 200) {
            append = false; // a full response: the server ignored the Range, start again
            if (total == 0) {
                total = response.headers().firstValueAsLong("Content-Length").orElse(0);
            }
        } else if (status == 416 && offset > 0) {
            response.body().close();
            return true; // nothing after offset: the part file is complete (the hash decides)
        } else {
            response.body().close();
            throw new DownloadException(u, "HTTP " + status + statusText(status));
        }
        if (!append) {
            offset = 0;
        }
        listener.started(u, offset, total);
        copyBody(u, response.body(), part, append, offset, total, listener);
        return true;
    }

    private void copyBody(String u, InputStream in, Path part, boolean append, long offset, long total,
                          TransferListener listener) throws IOException {
        AtomicLong lastData = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        long timeoutNanos = settings.readTimeout().toNanos();
        Thread watchdog = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                if (System.nanoTime() - lastData.get() > timeoutNanos) {
                    stalled.set(true);
                    abortTransfer();
                    return;
                }
                try {
                    Thread.sleep(Math.max(10, Math.min(250, timeoutNanos / 4_000_000)));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "peopleseg-download-watchdog");
        watchdog.setDaemon(true);
        body = in;
        watchdog.start();
        long done = offset;
        try (in; OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) >= 0; ) {
                lastData.set(System.nanoTime());
                checkCancelled(u);
                try {
                    out.write(buf, 0, n);
                } catch (IOException e) {
                    throw new DownloadException(u, "cannot write " + part + ": " + describe(e)
                            + " (free some space, or pull into another --dir / PEOPLESEG_HOME)", e);
                }
                done += n;
                listener.progress(done, total);
            }
        } catch (DownloadException e) {
            throw e;
        } catch (IOException e) {
            if (cancelled.get()) {
                throw new DownloadException(u, interruptedProblem(part), e);
            }
            if (stalled.get()) {
                throw new DownloadException(u, "no data for " + settings.readTimeout().toSeconds()
                        + " s after " + done + " bytes (the server or network stalled)", e);
            }
            throw new DownloadException(u, "transfer failed after " + done + " bytes: " + describe(e), e);
        } finally {
            watchdog.interrupt();
            body = null;
            Thread.interrupted();
        }
        if (cancelled.get()) {
            throw new DownloadException(u, interruptedProblem(part));
        }
        if (total > 0 && done < total) {
            throw new DownloadException(u, "the server closed the connection after " + done + " of " + total
                    + " bytes");
        }
    }

    private void abortTransfer() {
        InputStream in = body;
        if (in != null) {
            try {
                in.close(); // cancels the HTTP exchange
            } catch (IOException ignored) {
                // closing is best effort: the interrupt below ends a blocked read anyway
            }
        }
        Thread w = worker;
        if (w != null) {
            w.interrupt();
        }
    }

    private void checkCancelled(String u) throws DownloadException {
        if (cancelled.get()) {
            throw new DownloadException(u, "interrupted (a partial download is kept and resumed by the next pull)");
        }
    }

    private static String interruptedProblem(Path part) {
        return "interrupted; " + part.getFileName() + " is kept and the next pull resumes it";
    }

    private static String verify(String u, Path part, long expectedBytes, HashCheck hash) throws IOException {
        long size = Files.size(part);
        if (expectedBytes > 0 && size != expectedBytes) {
            Files.deleteIfExists(part);
            throw new DownloadException(u, "got " + size + " bytes, expected " + expectedBytes
                    + " (the file at this URL is not the catalogue's; deleted)");
        }
        byte[] digest = Sha256.digest(part);
        if (!hash.matches(digest)) {
            Files.deleteIfExists(part);
            throw new DownloadException(u, "SHA-256 " + HexFormat.of().formatHex(digest) + " does not match the "
                    + "catalogue's " + hash.describe() + " (a changed or corrupted file; deleted, nothing cached)");
        }
        return HexFormat.of().formatHex(digest);
    }

    private static void checkFreeSpace(String u, Path part, long expectedBytes) throws IOException {
        if (expectedBytes <= 0) {
            return;
        }
        long have = Files.exists(part) ? Files.size(part) : 0;
        long free = Files.getFileStore(part.toAbsolutePath().getParent()).getUsableSpace();
        if (free < expectedBytes - have) {
            throw new DownloadException(u, "not enough disk space in " + part.toAbsolutePath().getParent() + ": "
                    + (expectedBytes - have) + " bytes needed, " + free + " free (free some, or pull into another "
                    + "--dir / PEOPLESEG_HOME)");
        }
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(part, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** What a network exception means, in words (the JDK's messages are often empty for these). */
    static String describe(IOException e) {
        Throwable cause = e.getCause();
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within the connect timeout (no network, or a firewall; behind a proxy set "
                    + "-Dhttps.proxyHost/-Dhttps.proxyPort in PEOPLESEG_JAVA_OPTS)";
        }
        if (e instanceof HttpTimeoutException) {
            return "no response within the read timeout (the server or network stalled)";
        }
        if (unresolved(e)) {
            return "cannot resolve the host name (no network or no DNS)";
        }
        if (e instanceof ConnectException) {
            String m = e.getMessage() != null ? e.getMessage() : cause != null && cause.getMessage() != null
                    ? cause.getMessage() : "connection failed";
            return "cannot connect (" + m.toLowerCase(Locale.ROOT) + ")";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory (was the folder removed?)";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof InterruptedIOException) {
            return "interrupted";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** java.net.http reports an unknown host as a ConnectException caused (at some depth) by UnresolvedAddress. */
    private static boolean unresolved(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    private static String statusText(int status) {
        return switch (status) {
            case 401, 403 -> " (access refused)";
            case 404 -> " Not Found (no such file at this URL; is the mirror complete?)";
            case 407 -> " (the proxy wants authentication)";
            case 429 -> " (rate limited; try again later)";
            default -> status >= 500 ? " (server error; try again later)" : "";
        };
    }
}
