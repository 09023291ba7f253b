package org.peopleseg.serve;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The project's shared reference data (outside the repository), found as core's {@code SharedData} finds it: system
 * property {@code peopleseg.shared} (the parent pom sets it for surefire), environment variable
 * {@code PEOPLESEG_SHARED}, then {@code ../shared} beside the repository. Tests that need it skip, with the reason,
 * when it is absent.
 */
final class SharedFiles {
    private SharedFiles() {}

    static Path resolve(String relative) {
        Path dir = null;
        String prop = System.getProperty("peopleseg.shared");
        String env = System.getenv("PEOPLESEG_SHARED");
        if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop))) {
            dir = Path.of(prop);
        } else if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env))) {
            dir = Path.of(env);
        } else {
            Path fallback = Path.of("").toAbsolutePath().getParent().resolveSibling("shared");
            if (Files.isDirectory(fallback)) {
                dir = fallback;
            }
        }
        Assumptions.assumeTrue(dir != null, "…/shared not found: set -Dpeopleseg.shared=DIR or PEOPLESEG_SHARED");
        Path p = dir.resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "…/shared incomplete: " + p + " is missing");
        return p;
    }
}
