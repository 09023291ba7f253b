package org.peopleseg.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** ../shared (system property peopleseg.shared, env PEOPLESEG_SHARED, or ../shared); skips the test when absent. */
final class SharedDir {
    private SharedDir() {}

    static Path require(String relative) {
        String prop = System.getProperty("peopleseg.shared");
        String env = System.getenv("PEOPLESEG_SHARED");
        // the first candidate that exists: Surefire always sets the property (to ../shared beside the checkout),
        // so a missing folder there must not hide PEOPLESEG_SHARED
        Path dir = prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop)) ? Path.of(prop)
                : env != null && !env.isBlank() ? Path.of(env)
                : Path.of("").toAbsolutePath().getParent().resolveSibling("shared");
        Path p = dir.resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "shared data not found, skipped: " + p);
        return p;
    }
}
