package org.peopleseg.models;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Locates ../shared (data, models, fixtures) for tests; skips the test with the reason when it is absent. */
public final class SharedDir {
    private SharedDir() {}

    public static Path require() {
        String prop = System.getProperty("peopleseg.shared");
        String env = System.getenv("PEOPLESEG_SHARED");
        Path p = env != null && !env.isBlank() ? Path.of(env) : prop != null ? Path.of(prop) : Path.of("../../shared");
        Assumptions.assumeTrue(Files.isDirectory(p.resolve("data")),
                "shared data not found at " + p.toAbsolutePath().normalize() + " (set PEOPLESEG_SHARED); skipping");
        return p;
    }
}
