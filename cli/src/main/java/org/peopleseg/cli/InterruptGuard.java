package org.peopleseg.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets a run end cleanly on Ctrl-C (SIGINT) or SIGTERM: a shutdown hook asks the run to stop, then holds the JVM
 * until the run has finished its current image and written its outputs (or {@code graceSeconds} passed). Every
 * output is written atomically anyway, so even a hard kill leaves no half-written file; this makes an interrupted
 * run leave a valid {@code results.json} for the images it did.
 */
final class InterruptGuard implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    private InterruptGuard(PrintWriter err, long graceSeconds, Runnable onStop) {
        hook = new Thread(() -> {
            stop.set(true);
            onStop.run();
            err.println();
            err.println("Interrupted: finishing the current work and closing the outputs ...");
            err.flush();
            try {
                finished.await(graceSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "peopleseg-interrupt");
    }

    static InterruptGuard install(PrintWriter err, long graceSeconds) {
        return install(err, graceSeconds, () -> { });
    }

    /** As {@link #install(PrintWriter, long)}, also calling {@code onStop} when the stop is requested. */
    static InterruptGuard install(PrintWriter err, long graceSeconds, Runnable onStop) {
        InterruptGuard g = new InterruptGuard(err, graceSeconds, onStop);
        Runtime.getRuntime().addShutdownHook(g.hook);
        return g;
    }

    /** True once the process was asked to end: stop before the next image. */
    boolean stopRequested() {
        return stop.get();
    }

    /** The run is done (its outputs written): lets an ongoing shutdown proceed, or removes the hook. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and now returns
        }
    }
}
