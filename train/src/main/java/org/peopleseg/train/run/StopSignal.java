package org.peopleseg.train.run;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Ctrl-C (SIGINT) and SIGTERM for a training run: a shutdown hook asks the run to stop, then holds the JVM until the
 * run has finished its current step and written its checkpoint (or {@code graceSeconds} passed). A JVM shutdown
 * hook rather than a signal handler ({@code sun.misc.Signal} is not an API) so SIGHUP and System.exit from another
 * thread behave the same; the process then exits with the shell's code for the signal (130 for SIGINT, 143 for
 * SIGTERM). Shared by both trainers: poll {@link #stopRequested()} between steps, close when the outputs are written.
 */
public final class StopSignal implements AutoCloseable, BooleanSupplier {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    private StopSignal(Consumer<String> log, long graceSeconds) {
        hook = new Thread(() -> {
            stop.set(true);
            log.accept("\nStop requested (signal): finishing the current step and writing a checkpoint ...");
            try {
                if (!finished.await(graceSeconds, TimeUnit.SECONDS)) {
                    log.accept("Stop: no checkpoint after " + graceSeconds + " s; exiting without one");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "peopleseg-train-stop");
    }

    /** @param log receives the lines this class prints (flushed by the receiver) */
    public static StopSignal install(Consumer<String> log, long graceSeconds) {
        StopSignal s = new StopSignal(log, graceSeconds);
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    /** A stop that no signal triggers: for runs embedded in tests, stopped by {@link #request()}. */
    public static StopSignal manual() {
        return new StopSignal(line -> { }, 0);
    }

    /** Asks the run to stop as a signal would (tests, embedding). */
    public void request() {
        stop.set(true);
    }

    /** True once the process was asked to end: checkpoint and return before the next step. */
    public boolean stopRequested() {
        return stop.get();
    }

    @Override
    public boolean getAsBoolean() {
        return stop.get();
    }

    /** The run's outputs are written: lets an ongoing shutdown proceed, or removes the hook. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNeverInstalled) {
            // the hook is running (and now returns), or this stop was manual
        }
    }
}
