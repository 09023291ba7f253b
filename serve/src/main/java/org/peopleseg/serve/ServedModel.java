package org.peopleseg.serve;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.peopleseg.core.result.Detections;
import org.peopleseg.models.PackagedSegmenter;
import org.peopleseg.models.Segmenters;
import org.peopleseg.runtime.model.ModelMetadata;
import org.peopleseg.runtime.session.SessionSettings;

/**
 * One loaded model package: N sessions (Triton's instance_group) shared by the requests through a bounded queue.
 *
 * <p>A request takes an idle session, or waits for one if fewer than {@code maxQueue} requests are waiting already
 * (else it is rejected at once: 503), for at most the request timeout (then 504). The graphs take batch 1, so
 * requests are not batched together; parallelism comes from the instances.
 *
 * <p>Lifecycle: the repository replaces or unloads a model by {@link #retire retiring} it; requests that hold it
 * (running or queued) finish on it, and its sessions close when the last one leaves. So a reload never fails a
 * request in flight.
 */
final class ServedModel {
    /** What one inference found (and on which picture), and what it took. */
    record Outcome(BufferedImage image, Detections detections, long queueNanos, long decodeNanos, long computeNanos) {}

    /** Produces the picture once a session is held, so that decoding (memory-heavy for big images) is bounded too. */
    interface ImageSource {
        BufferedImage decode() throws ServeException;
    }

    private final String name;
    private final Path file;
    private final FileStamp stamp;
    private final ModelMetadata metadata;
    private final BlockingQueue<PackagedSegmenter> idle;
    private final List<PackagedSegmenter> all;
    private final int maxQueue;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger users = new AtomicInteger(1); // the repository's own reference
    private volatile boolean retired;

    private ServedModel(String name, Path file, FileStamp stamp, List<PackagedSegmenter> sessions, int maxQueue) {
        this.name = name;
        this.file = file;
        this.stamp = stamp;
        this.metadata = sessions.get(0).metadata();
        this.all = List.copyOf(sessions);
        this.idle = new ArrayBlockingQueue<>(sessions.size(), true, sessions);
        this.maxQueue = maxQueue;
    }

    /** Opens {@code instances} sessions of the package; on failure closes what was opened. */
    static ServedModel open(String name, Path file, ServeOptions options) throws IOException {
        FileStamp stamp = FileStamp.of(file);
        List<PackagedSegmenter> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < options.instances(); i++) {
                sessions.add(Segmenters.open(file, new SessionSettings(options.threads()), options.threshold()));
            }
        } catch (IOException | RuntimeException e) {
            sessions.forEach(PackagedSegmenter::close);
            throw e;
        }
        return new ServedModel(name, file, stamp, sessions, options.maxQueue());
    }

    String name() {
        return name;
    }

    Path file() {
        return file;
    }

    FileStamp stamp() {
        return stamp;
    }

    ModelMetadata metadata() {
        return metadata;
    }

    int instances() {
        return all.size();
    }

    /** Requests waiting for a session now. */
    int pending() {
        return waiting.get();
    }

    /** True when a new request would be rejected: every instance busy and the queue full. */
    boolean saturated() {
        return idle.isEmpty() && waiting.get() >= maxQueue;
    }

    /** The 503 a request gets when the model is saturated. */
    ServeException busy() {
        return ServeException.unavailable("model '" + name + "' is busy: " + all.size() + " instance"
                + (all.size() == 1 ? "" : "s") + " running and " + maxQueue + " requests queued; retry later", 1);
    }

    /** Takes a reference for one request; false if the model was retired meanwhile (the caller looks it up again). */
    boolean enter() {
        while (true) {
            int n = users.get();
            if (n == 0) {
                return false;
            }
            if (users.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back a reference taken by {@link #enter}. */
    void leave() {
        if (users.decrementAndGet() == 0) {
            all.forEach(PackagedSegmenter::close);
        }
    }

    /** Drops the repository's reference: closes the sessions now, or when the last request holding it leaves. */
    void retire() {
        if (!retired) {
            retired = true;
            leave();
        }
    }

    /**
     * Runs one image on a session. The caller holds a reference ({@link #enter}).
     *
     * @param timeoutNanos how long to wait for a session
     */
    Outcome segment(ImageSource image, String source, long timeoutNanos) throws ServeException {
        long t0 = System.nanoTime();
        PackagedSegmenter session = idle.poll();
        if (session == null) {
            if (waiting.incrementAndGet() > maxQueue) {
                waiting.decrementAndGet();
                throw busy();
            }
            try {
                session = idle.poll(timeoutNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServeException(503, "server shutting down");
            } finally {
                waiting.decrementAndGet();
            }
            if (session == null) {
                throw new ServeException(504, "model '" + name + "': no instance became free within "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
            }
        }
        long t1 = System.nanoTime();
        try {
            BufferedImage pixels = image.decode();
            long t2 = System.nanoTime();
            Detections d;
            try {
                d = session.segment(pixels, source);
            } catch (RuntimeException e) {
                throw new ServeException(500, "model '" + name + "' failed on " + source + ": " + e.getMessage(), e);
            }
            return new Outcome(pixels, d, t1 - t0, t2 - t1, System.nanoTime() - t2);
        } finally {
            idle.add(session);
        }
    }
}
