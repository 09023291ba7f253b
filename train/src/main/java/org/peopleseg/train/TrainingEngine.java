package org.peopleseg.train;

import ai.djl.engine.Engine;
import java.nio.file.Path;

/**
 * Starts DJL's PyTorch engine offline. DJL reads these settings once, when the engine first loads, so every entry
 * point of the train module calls {@link #get()} before touching an NDManager.
 *
 * <ul>
 *   <li>{@code ai.djl.offline}: never download libtorch (the natives come from the pytorch-native-cpu jar);
 *   <li>{@code OPT_OUT_TRACKING}: otherwise DJL probes a cloud metadata address at start;
 *   <li>{@code ENGINE_CACHE_DIR}: where the natives unpack (once, ~450 MB);
 *   <li>threads: intra-op from {@code peopleseg.train.threads} (default: all cores), inter-op 1.
 * </ul>
 */
public final class TrainingEngine {
    private TrainingEngine() {}

    /** The PyTorch engine, configured for offline CPU training; idempotent. */
    public static synchronized Engine get() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("ENGINE_CACHE_DIR", defaultCacheDir().toString());
        setIfAbsent("ai.djl.default_engine", "PyTorch");
        String threads = System.getProperty("peopleseg.train.threads",
                Integer.toString(Runtime.getRuntime().availableProcessors()));
        setIfAbsent("ai.djl.pytorch.num_threads", threads);
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        return Engine.getEngine("PyTorch");
    }

    /** True when the JVM runs with tcmalloc preloaded: libtorch's CPU training is ~30% slower without it. */
    public static boolean tcmallocPreloaded() {
        String preload = System.getenv("LD_PRELOAD");
        return preload != null && preload.contains("tcmalloc");
    }

    private static Path defaultCacheDir() {
        String home = System.getenv("PEOPLESEG_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home, "djl");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("peopleseg").resolve("djl");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
