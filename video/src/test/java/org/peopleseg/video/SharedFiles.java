package org.peopleseg.video;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The project's shared reference data (outside the repository), as core's {@code SharedData} finds it: system
 * property {@code peopleseg.shared} (set by the parent pom for surefire), environment variable
 * {@code PEOPLESEG_SHARED}, then {@code ../shared} next to the repository. Tests that need it are skipped, not
 * failed, when it is absent. Nothing is ever copied from it into the repository.
 */
public final class SharedFiles {
    private SharedFiles() {}

    public static Path dirOrNull() {
        String prop = System.getProperty("peopleseg.shared");
        if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop))) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        String env = System.getenv("PEOPLESEG_SHARED");
        if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env))) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        // surefire runs in the module directory (video/): the repository's sibling "shared"
        Path parent = Path.of("").toAbsolutePath().getParent();
        if (parent != null && Files.isDirectory(parent.resolveSibling("shared"))) {
            return parent.resolveSibling("shared").normalize();
        }
        return null;
    }

    /** A file or folder under the shared directory; skips the calling test when it is missing. */
    public static Path resolve(String relative) {
        Path dir = dirOrNull();
        Assumptions.assumeTrue(dir != null,
                "shared data not found: set -Dpeopleseg.shared=DIR or PEOPLESEG_SHARED (needed: " + relative + ")");
        Path p = dir.resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "shared data incomplete: " + p + " is missing");
        return p;
    }

    /** ../shared/data/vtest/vtest.avi: msmpeg4v3, 768x576, 10 fps, 795 frames. */
    public static Path vtest() {
        return resolve("data/vtest/vtest.avi");
    }

    /** ../shared/data/pets2009-s3mf1/img: 107 JPEG frames, 768x576. */
    public static Path petsImages() {
        return resolve("data/pets2009-s3mf1/img");
    }
}
