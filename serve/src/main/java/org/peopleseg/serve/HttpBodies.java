package org.peopleseg.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.eclipse.jetty.server.Request;

/**
 * Reads request bodies within limits: a declared or actual length over the limit is a 413 before (or as soon as) it
 * is exceeded; a client that stops sending is cut off by the connector's idle timeout and one that trickles by the
 * request deadline (both 408). Nothing is written to disk.
 */
final class HttpBodies {
    private HttpBodies() {}

    /**
     * A body somewhat over the limit is read and dropped before the 413 goes out, so that a client that writes its
     * whole body before reading (most do) sees the answer instead of a reset connection; past this it is cut off.
     */
    private static final long DRAIN_BYTES = 64L << 20;

    /**
     * The whole body, its bytes reserved in {@code budget} as they come (a declared length at once, before any is
     * read): a body that does not fit the budget now is a 503, one over {@code maxBytes} a 413.
     */
    static byte[] read(Request request, long maxBytes, long deadlineNanos, BodyBudget.Claim budget)
            throws ServeException {
        long declared = request.getLength();
        if (declared > maxBytes + DRAIN_BYTES) {
            throw ServeException.tooLarge("request body of " + declared + " bytes is over the limit of " + maxBytes);
        }
        budget.ensure(Math.min(Math.max(declared, 0), maxBytes));
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 && declared <= maxBytes ? (int) declared : 8192);
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Content.Source.asInputStream(request)) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (out.size() + (long) n > maxBytes) {
                    drain(in, buf, deadlineNanos);
                    throw ServeException.tooLarge("request body " + (declared > 0 ? "of " + declared + " bytes " : "")
                            + "is over the limit of " + maxBytes + " bytes");
                }
                budget.ensure(out.size() + (long) n);
                out.write(buf, 0, n);
                if (System.nanoTime() > deadlineNanos) {
                    throw new ServeException(408, "request body too slow: not received within the request timeout");
                }
            }
        } catch (IOException e) {
            if (isTimeout(e)) {
                throw new ServeException(408, "request body not received: the client stopped sending");
            }
            throw ServeException.badRequest("could not read the request body: " + e.getMessage());
        }
        return out.toByteArray();
    }

    /**
     * Reads and drops what is left of a request body (at most {@link #DRAIN_BYTES}), so that an error answered before
     * the body was read (an unknown model, a bad query) reaches a client that writes its whole body first.
     *
     * @return whether the body was read to its end (if not, the connection must close after the answer)
     */
    static boolean discardRest(Request request, long deadlineNanos) {
        if (request.getLength() > DRAIN_BYTES) {
            return false; // the connection closes after the answer instead
        }
        // Chunk by chunk, each released unread: no copy and no buffer (a 503 is never drained: it closes instead)
        long left = DRAIN_BYTES;
        try {
            while (left > 0) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    long wait = deadlineNanos - System.nanoTime();
                    if (wait <= 0) {
                        return false;
                    }
                    CompletableFuture<Void> more = new CompletableFuture<>();
                    request.demand(() -> more.complete(null));
                    more.get(wait, TimeUnit.NANOSECONDS);
                    continue;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    return false;
                }
                left -= chunk.remaining();
                boolean last = chunk.isLast();
                chunk.release();
                if (last) {
                    return true;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return false; // the client went away or stalled: nothing to save
        }
    }

    private static void drain(InputStream in, byte[] buf, long deadlineNanos) throws IOException {
        long left = DRAIN_BYTES;
        int n;
        while (left > 0 && System.nanoTime() < deadlineNanos && (n = in.read(buf)) >= 0) {
            left -= n;
        }
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** An uploaded file: its bytes and the name the client gave it (or null). */
    record Upload(byte[] bytes, String fileName) {}

    /** The first file of a multipart/form-data body (the field named "image" or "file" if there is one). */
    static Upload firstFile(byte[] body, String contentType, long maxBytes) throws ServeException {
        String boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null) {
            throw ServeException.badRequest("multipart/form-data without a boundary");
        }
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
        parser.setMaxMemoryFileSize(maxBytes); // keep every part in memory: never a temporary file
        parser.setMaxLength(maxBytes);
        parser.setMaxParts(16);
        try (MultiPartFormData.Parts parts = parser.parse(new ByteBufferContentSource(ByteBuffer.wrap(body)))
                .get(30, TimeUnit.SECONDS)) {
            MultiPart.Part chosen = parts.getFirst("image");
            if (chosen == null) {
                chosen = parts.getFirst("file");
            }
            if (chosen == null && parts.size() > 0) {
                chosen = parts.get(0);
            }
            if (chosen == null) {
                throw ServeException.badRequest("multipart body has no parts");
            }
            ByteBuffer content = Content.Source.asByteBuffer(chosen.getContentSource());
            byte[] bytes = new byte[content.remaining()];
            content.get(bytes);
            return new Upload(bytes, chosen.getFileName());
        } catch (ExecutionException e) {
            throw ServeException.badRequest("malformed multipart body: " + e.getCause().getMessage());
        } catch (IOException | TimeoutException e) {
            throw ServeException.badRequest("malformed multipart body: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServeException(503, "server shutting down");
        }
    }

    static boolean isMultipart(Request request) {
        String ct = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return ct != null && ct.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data");
    }
}
