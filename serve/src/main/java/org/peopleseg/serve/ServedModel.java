package org.peopleseg.serve;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
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
 * <p>A request is admitted if fewer than {@code instances + maxQueue} are in the model already (else it is rejected
 * at once: 503). It then decodes its picture in one of N decode slots, takes a session with the slot still held, and
 * runs; a request waits for a slot and a session for at most the request timeout (then 504). So the next picture is
 * decoded while the current one runs on the session (decoding is 10-20% of a request and ONNX Runtime leaves cores
 * idle in its serial parts), and at most 2N decoded pictures are in memory per model. The graphs take batch 1, so
 * requests are not batched together; parallelism comes from the instances.
 *
 * <p>The sessions' idle threads do not spin unless {@code --spin} asks (ONNX Runtime spins by default): a spinning
 * thread holds a core while the next request decodes, while the Java pre- and post-processing runs, and while the
 * server waits for work, and on a shared machine it takes cores from everything else.
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
    private final Semaphore decodeSlots;
    private final AtomicInteger admitted = new AtomicInteger(); // requests decoding, waiting or running
    private final AtomicInteger waiting = new AtomicInteger(); // admitted requests not holding a session yet
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
        this.decodeSlots = new Semaphore(sessions.size(), true);
    }

    /** Opens {@code instances} sessions of the package; on failure closes what was opened. */
    static ServedModel open(String name, Path file, ServeOptions options) throws IOException {
        FileStamp stamp = FileStamp.of(file);
        List<PackagedSegmenter> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < options.instances(); i++) {
                SessionSettings settings = new SessionSettings(options.threads(), options.spin());
                sessions.add(Segmenters.open(file, settings, options.threshold()));
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
        return admitted.get() >= all.size() + maxQueue;
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
     * @param timeoutNanos how long to wait for a decode slot and a session together
     */
    Outcome segment(ImageSource image, String source, long timeoutNanos) throws ServeException {
        long t0 = System.nanoTime();
        if (admitted.incrementAndGet() > all.size() + maxQueue) {
            admitted.decrementAndGet();
            throw busy();
        }
        waiting.incrementAndGet();
        boolean holdsSession = false;
        try {
            long deadline = t0 + timeoutNanos;
            if (!decodeSlots.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
                throw timedOut(timeoutNanos);
            }
            PackagedSegmenter session = null;
            long decodeNanos;
            BufferedImage pixels;
            try {
                long t1 = System.nanoTime();
                pixels = image.decode();
                decodeNanos = System.nanoTime() - t1;
                session = idle.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (session != null) {
                    holdsSession = true;
                    waiting.decrementAndGet();
                }
            } finally {
                decodeSlots.release(); // the picture now runs (or failed): the next request may decode meanwhile
            }
            if (session == null) {
                throw timedOut(timeoutNanos);
            }
            long t2 = System.nanoTime();
            try {
                return new Outcome(pixels, session.segment(pixels, source), t2 - t0 - decodeNanos, decodeNanos,
                        System.nanoTime() - t2);
            } catch (RuntimeException e) {
                throw new ServeException(500, "model '" + name + "' failed on " + source + ": " + e.getMessage(), e);
            } finally {
                idle.add(session);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServeException(503, "server shutting down");
        } finally {
            if (!holdsSession) {
                waiting.decrementAndGet();
            }
            admitted.decrementAndGet();
        }
    }

    private ServeException timedOut(long timeoutNanos) {
        return new ServeException(504, "model '" + name + "': no instance became free within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    }
}
