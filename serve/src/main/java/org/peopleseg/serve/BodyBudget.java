package org.peopleseg.serve;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of request bodies held in memory at once, all requests together. Each handler thread may hold a body of up
 * to {@code --max-body}, and there are {@code instances + max-queue + 8} of them: without a budget, that many large
 * uploads at once (74 x 32 MiB with the defaults) could exhaust the heap. A request reserves its declared length
 * before reading a byte (a chunked one reserves as its bytes arrive); past the budget it is answered 503 with
 * Retry-After, like a full queue. The reservation lasts until the request is answered.
 */
final class BodyBudget {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    BodyBudget(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the body budget must be positive, got " + limit);
        }
        this.limit = limit;
    }

    /** From the options: the budget given, or else {@link #automatic}. */
    static BodyBudget of(ServeOptions options) {
        return new BodyBudget(options.bodyBudgetBytes() > 0 ? options.bodyBudgetBytes()
                : automatic(options.maxBodyBytes(), Runtime.getRuntime().maxMemory()));
    }

    /**
     * An eighth of the heap (what a body becomes while it is parsed, a base64 string and its decoded bytes, takes
     * about as much again per request), and never less than one body of the largest size, which must always fit.
     */
    static long automatic(long maxBodyBytes, long maxHeapBytes) {
        long heap = maxHeapBytes == Long.MAX_VALUE ? 1L << 32 : maxHeapBytes; // no -Xmx limit: assume 4 GiB
        return Math.max(heap / 8, maxBodyBytes);
    }

    long limit() {
        return limit;
    }

    /** Bytes reserved now. */
    long used() {
        return used.get();
    }

    /** One request's reservations; closing it gives them back. */
    Claim claim() {
        return new Claim();
    }

    final class Claim implements AutoCloseable {
        private long held;

        /** Makes sure {@code total} bytes are reserved for this request, or answers 503 (nothing more reserved). */
        void ensure(long total) throws ServeException {
            long more = total - held;
            if (more <= 0) {
                return;
            }
            while (true) {
                long u = used.get();
                if (u + more > limit) {
                    throw ServeException.unavailable("the server holds " + (u >> 20) + " MiB of request bodies, its "
                            + "budget is " + (limit >> 20) + " MiB: this body of " + (total >> 10) + " KiB does not "
                            + "fit now; retry later", 1);
                }
                if (used.compareAndSet(u, u + more)) {
                    held = total;
                    return;
                }
            }
        }

        @Override
        public void close() {
            used.addAndGet(-held);
            held = 0;
        }
    }
}
