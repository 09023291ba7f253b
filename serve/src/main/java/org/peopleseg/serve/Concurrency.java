package org.peopleseg.serve;

/**
 * How many sessions a model gets and how many ONNX Runtime threads each: what {@code --instances} and
 * {@code --threads} ask for, the rest chosen from the cores.
 *
 * <p>By default one one-thread instance per core, at least two. Measured on 2 cores with YOLO11n-seg int8 960x576
 * (README, serve): two one-thread instances served 134% / 113% of the single-stream bench rate at 2 / 8 clients,
 * one two-thread instance 96% / 87%: ONNX Runtime's serial parts, the Java pre- and post-processing and the
 * decoding leave one multi-threaded session's cores idle, while independent sessions keep every core busy. Two at
 * least, so that even on one core the next request decodes while the current one runs. One client alone is
 * faster on one session of all the cores (94% against 70%): {@code --instances 1} gives it that.
 *
 * @param instances sessions per model
 * @param threads   ONNX Runtime intra-op threads per session, 0 for its own default (one per physical core)
 * @param automatic what was chosen rather than given, for the start-up line (empty when both were given)
 */
public record Concurrency(int instances, int threads, String automatic) {
    public Concurrency {
        if (instances < 1 || threads < 0) {
            throw new IllegalArgumentException("instances must be 1 or more and threads 0 or more, got "
                    + instances + " x " + threads);
        }
    }

    /** Both given. */
    public static Concurrency of(int instances, int threads) {
        return new Concurrency(instances, threads, "");
    }

    /**
     * @param instances {@code --instances}, null when not given
     * @param threads   {@code --threads}, null when not given (0: ONNX Runtime's default)
     * @param cores     the processors this JVM may use
     */
    public static Concurrency choose(Integer instances, Integer threads, int cores) {
        int c = Math.max(1, cores);
        String on = c + " core" + (c == 1 ? "" : "s");
        if (instances != null && threads != null) {
            return of(instances, threads);
        }
        if (instances != null) { // the cores shared among the instances asked for
            return new Concurrency(instances, Math.max(1, c / instances), "threads: " + on + " / " + instances
                    + " instance" + (instances == 1 ? "" : "s"));
        }
        if (threads != null) { // as many instances of that size as the cores hold
            return new Concurrency(threads == 0 ? 1 : Math.max(1, c / threads), threads, "instances: " + on + " / "
                    + (threads == 0 ? "all cores" : threads + " thread" + (threads == 1 ? "" : "s")) + " each");
        }
        return new Concurrency(Math.max(2, c), 1, "one 1-thread instance per core, at least 2; " + on);
    }

    /** The processors this JVM may use (its CPU affinity and container limits included). */
    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** "2 instances x 1 ONNX Runtime thread" (threads 0: "ONNX Runtime's default threads"). */
    public String describe() {
        return instances + " instance" + (instances == 1 ? "" : "s") + " x "
                + (threads == 0 ? "ONNX Runtime's default threads" : threads + " ONNX Runtime thread" + (threads == 1 ? "" : "s"));
    }
}
