package org.peopleseg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import org.peopleseg.models.catalog.Catalog;
import org.peopleseg.models.catalog.CatalogEntry;
import org.peopleseg.models.catalog.Downloader;
import org.peopleseg.models.catalog.ModelCache;
import org.peopleseg.models.catalog.ModelPuller;
import org.peopleseg.models.catalog.ModelResolver;

/**
 * The CLI's wiring of the model catalogue: where the cache is ({@code PEOPLESEG_HOME}), which mirror to use
 * ({@code PEOPLESEG_MODEL_MIRROR}), and the one resolver every {@code --model} option goes through. Each setting may
 * also be given as a system property ({@code -Dpeopleseg.cache_home}, {@code -Dpeopleseg.model_mirror}), which wins:
 * tests and embedders cannot change the environment of a running JVM.
 */
final class ModelCatalogAccess {
    private ModelCatalogAccess() {}

    static Catalog catalog() {
        return Catalog.builtIn();
    }

    /** The cache root (holding models/): the override, PEOPLESEG_HOME, $XDG_CACHE_HOME/peopleseg, ~/.cache/peopleseg. */
    static Path root(Path override) {
        if (override != null) {
            return override;
        }
        String prop = System.getProperty("peopleseg.cache_home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        return ModelCache.defaultRoot(System.getenv());
    }

    static ModelCache cache(Path modelsDir) {
        return modelsDir != null ? new ModelCache(modelsDir) : ModelCache.under(root(null));
    }

    static String mirror() {
        String prop = System.getProperty("peopleseg.model_mirror");
        if (prop != null && !prop.isBlank()) {
            return prop;
        }
        String env = System.getenv("PEOPLESEG_MODEL_MIRROR");
        return env != null && !env.isBlank() ? env : null;
    }

    static ModelPuller puller(ModelCache cache) {
        return new ModelPuller(new ModelPuller.Settings(cache, mirror(), Downloader.Settings.defaults()));
    }

    /**
     * What {@code --model} names: an existing file as it is; a catalogue name the cached package, pulled (with a
     * progress bar and the licence notice) when absent; anything else unchanged, so the command reports the missing
     * file as before — unless it looks like a name rather than a path, which gets the catalogue's names.
     */
    static Path resolveModel(Path model, PrintWriter err) {
        if (model == null) {
            return null;
        }
        String ref = model.toString();
        if (java.nio.file.Files.exists(model)) {
            return model;
        }
        ModelCache cache = cache(null);
        ModelPuller puller = puller(cache);
        ModelResolver resolver = new ModelResolver(catalog(), cache, puller);
        Optional<ModelResolver.Named> named = resolver.lookup(ref);
        if (named.isPresent()) {
            if (!java.nio.file.Files.isRegularFile(cache.packageFile(named.get().recipe()))) {
                ModelsPullCommand.printLicenceNotice(named.get().entry(), err);
            }
            return ModelsPullCommand.guarded(puller, err,
                    () -> resolver.resolve(ref, new DownloadProgress(err, Progress.interactive())).orElseThrow());
        }
        if (!ref.contains("/") && !ref.contains(java.io.File.separator) && !ref.endsWith(".onnx")) {
            throw CliException.error(ref + ": no such file, and not a catalogue model (one of "
                    + String.join(", ", catalog().entries().stream().filter(CatalogEntry::isModel)
                    .map(CatalogEntry::name).toList()) + "; see 'peopleseg models available')");
        }
        return model;
    }
}
