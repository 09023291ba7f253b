package org.peopleseg.models.catalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where pulled files and the packages made from them live: {@code ~/.cache/peopleseg/models} by default
 * ({@code $XDG_CACHE_HOME/peopleseg/models} when set), {@code $PEOPLESEG_HOME/models} when PEOPLESEG_HOME is set.
 * Downloads keep the publisher's file name, packages their recipe's name.
 *
 * @param dir the folder holding both
 */
public record ModelCache(Path dir) {

    /** The cache's root folder (not yet the models folder) from the environment. */
    public static Path defaultRoot(Map<String, String> env) {
        String home = env.get("PEOPLESEG_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        String xdg = env.get("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("peopleseg");
    }

    /** The models folder under a root. */
    public static ModelCache under(Path root) {
        return new ModelCache(root.resolve("models"));
    }

    public Path file(CatalogEntry entry) {
        return dir.resolve(entry.file());
    }

    public Path packageFile(PackageRecipe recipe) {
        return dir.resolve(recipe.name());
    }

    /** True when the entry's file (data) or every one of its packages (models) is here. */
    public boolean isCached(CatalogEntry entry) {
        if (!entry.isModel()) {
            return Files.isRegularFile(file(entry));
        }
        return !entry.packages().isEmpty()
                && entry.packages().stream().allMatch(p -> Files.isRegularFile(packageFile(p)));
    }
}
