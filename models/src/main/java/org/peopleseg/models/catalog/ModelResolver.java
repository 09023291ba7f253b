package org.peopleseg.models.catalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code --model X} means, for every command that takes a model: a file that exists is that file; otherwise a
 * catalogue name ({@code yolo11n-seg}, its default package) or package name ({@code yolo11n-seg-int8-960x576}) is
 * the cached package, pulled first when absent.
 */
public final class ModelResolver {
    private final Catalog catalog;
    private final ModelPuller puller;
    private final ModelCache cache;

    public ModelResolver(Catalog catalog, ModelCache cache, ModelPuller puller) {
        this.catalog = catalog;
        this.cache = cache;
        this.puller = puller;
    }

    /** A catalogue package: the entry and which of its packages. */
    public record Named(CatalogEntry entry, PackageRecipe recipe) {}

    /** The catalogue package {@code name} stands for, if it is one (a model entry or a package name). */
    public Optional<Named> lookup(String name) {
        Optional<CatalogEntry> entry = catalog.find(name).filter(CatalogEntry::isModel);
        if (entry.isPresent()) {
            return entry.get().defaultPackage().map(r -> new Named(entry.get(), r));
        }
        return catalog.findByPackage(name).map(e -> new Named(e, e.findPackage(name).orElseThrow()));
    }

    /**
     * @return the package to open, or empty when {@code ref} is neither an existing file nor a catalogue name (the
     *         caller reports the missing file)
     * @throws PullException the package was absent and could not be pulled
     */
    public Optional<Path> resolve(String ref, TransferListener listener) throws PullException {
        Path asPath = Path.of(ref);
        if (Files.exists(asPath)) {
            return Optional.of(asPath);
        }
        Optional<Named> named = lookup(ref);
        if (named.isEmpty()) {
            return Optional.empty();
        }
        Path pkg = cache.packageFile(named.get().recipe());
        if (!Files.isRegularFile(pkg)) {
            listener.message(ref + " is not in " + cache.dir() + ": pulling " + named.get().entry().name());
            puller.pull(named.get().entry(), null, listener);
        }
        return Optional.of(pkg);
    }
}
