package org.peopleseg.serve;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Ends a connection whose request body was left unread without resetting it under the client.
 *
 * <p>A refusal is answered with {@code Connection: close} before the body is read. Jetty then shuts down its output
 * (the client sees the answer and an end of stream) and closes the socket. Closing a TCP socket that still holds
 * received, unread bytes makes the kernel send a reset instead of a FIN (RFC 1122 4.2.2.13), and a reset makes the
 * client's kernel drop what it had received and not yet read, the answer included: a client still writing its body
 * (the JDK's HttpClient, Python's requests) then sees "connection reset" or "no bytes" instead of the 503. Apache
 * httpd's lingering close is the cure used here: after the answer and the FIN have gone out, read and drop what the
 * client still sends until it closes its side, for at most {@link #MAX_MILLIS} and {@link #MAX_BYTES}, and only
 * then let the connection close. The reading is asynchronous (Jetty's demand callbacks): a lingering connection holds
 * no thread, so refusals stay cheap under overload, and clients that stop sending on seeing the answer (curl) or
 * never sent (Expect: 100-continue) end it at once.
 */
final class LingeringClose {
    /** Apache httpd's MAX_SECS_TO_LINGER is 2 s: the time a client needs to read the answer and stop. */
    static final long MAX_MILLIS = 2000;
    /** What a lingering connection may make the server read and drop at most. */
    static final long MAX_BYTES = 64L << 20;

    private LingeringClose() {}

    /**
     * A callback for the write of the answer: once it has gone out, lingers on {@code request}'s unread body, then
     * completes {@code done}.
     */
    static Callback after(Request request, Callback done) {
        return new Callback() {
            @Override
            public void succeeded() {
                new Linger(request, done).start();
            }

            @Override
            public void failed(Throwable x) {
                done.failed(x);
            }
        };
    }

    /** One lingering connection: drops body chunks as they come until the end, a failure, the time or the bytes. */
    private static final class Linger implements Runnable {
        private final Request request;
        private final Callback done;
        private final AtomicBoolean finished = new AtomicBoolean();
        private Scheduler.Task timeout;
        private long left = MAX_BYTES;

        Linger(Request request, Callback done) {
            this.request = request;
            this.done = done;
        }

        void start() {
            Scheduler scheduler = request.getComponents().getScheduler();
            timeout = scheduler.schedule(this::finish, MAX_MILLIS, TimeUnit.MILLISECONDS);
            run();
        }

        /** Reads what has arrived; asks to be called again when more does. */
        @Override
        public void run() {
            try {
                while (!finished.get()) {
                    Content.Chunk chunk = request.read();
                    if (chunk == null) {
                        request.demand(this);
                        return;
                    }
                    left -= chunk.remaining();
                    boolean end = chunk.isLast() || Content.Chunk.isFailure(chunk);
                    chunk.release();
                    if (end || left <= 0) {
                        break;
                    }
                }
            } catch (RuntimeException e) {
                // the connection is already gone: nothing left to wait for
            }
            finish();
        }

        private void finish() {
            if (finished.compareAndSet(false, true)) {
                if (timeout != null) {
                    timeout.cancel();
                }
                done.succeeded();
            }
        }
    }
}
