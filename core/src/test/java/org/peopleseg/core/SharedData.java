package org.peopleseg.core;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the project's shared reference data (fixtures, models, data sets), which lives outside the repository.
 *
 * <p>Looked up in this order: system property {@code peopleseg.shared} (the parent pom sets it for surefire),
 * environment variable {@code PEOPLESEG_SHARED}, then {@code ../shared} next to the repository (the module's
 * parent directory's sibling). Tests that need it are skipped, not failed, when it is absent, so the project builds
 * anywhere.
 */
public final class SharedData {
    private SharedData() {}

    /** The shared directory, or null when none of the candidates exists. */
    public static Path dirOrNull() {
        String prop = System.getProperty("peopleseg.shared");
        if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop))) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        String env = System.getenv("PEOPLESEG_SHARED");
        if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env))) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        // surefire runs with the module directory (e.g. core/) as working directory
        Path fallback = Path.of("").toAbsolutePath().getParent();
        if (fallback != null) {
            fallback = fallback.resolveSibling("shared");
            if (Files.isDirectory(fallback)) {
                return fallback.normalize();
            }
        }
        return null;
    }

    /** The shared directory; skips the calling test when it cannot be found. */
    public static Path dir() {
        Path dir = dirOrNull();
        Assumptions.assumeTrue(dir != null, "…/shared not found: set -Dpeopleseg.shared=DIR or PEOPLESEG_SHARED");
        return dir;
    }

    /** A file or directory under the shared directory; skips the calling test when it is missing. */
    public static Path resolve(String relative) {
        Path p = dir().resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "…/shared not found: " + p + " is missing");
        return p;
    }
}
