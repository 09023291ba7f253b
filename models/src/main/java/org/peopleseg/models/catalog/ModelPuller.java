package org.peopleseg.models.catalog;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.peopleseg.core.io.AtomicFiles;
import org.peopleseg.core.io.Sha256;
import org.peopleseg.runtime.model.ModelSource;

/**
 * {@code peopleseg models pull}: gets a catalogue entry's file into the cache — downloaded from its publisher (or
 * a mirror), or taken from a local file — verified by hash, then made into the entry's packages with the source
 * recorded in their metadata. A failure leaves nothing under a final name.
 */
public final class ModelPuller {
    /**
     * @param cache   where files and packages go
     * @param mirror  base URL serving the same file names instead of the publishers ({@code
     *                PEOPLESEG_MODEL_MIRROR}), or null
     * @param network timeouts and retries
     */
    public record Settings(ModelCache cache, String mirror, Downloader.Settings network) {}

    /**
     * @param file       the verified file in the cache
     * @param origin     where it came from: a URL, or a file: URI for {@code --from}
     * @param downloaded false when the file was already cached or taken from a local file
     * @param packages   the packages made (or found) for the entry, in recipe order
     */
    public record Pulled(CatalogEntry entry, Path file, String sha256, String origin, boolean downloaded,
                         List<Path> packages) {}

    private final Settings settings;
    private final Downloader downloader;
    private volatile boolean cancelled;

    public ModelPuller(Settings settings) {
        this.settings = settings;
        this.downloader = new Downloader(settings.network());
    }

    /** Stops a running pull (from a Ctrl-C hook): it ends with a {@link PullException}. */
    public void cancel() {
        cancelled = true;
        downloader.cancel();
    }

    /** Where the entry's file is fetched from: the mirror's copy when a mirror is set, else the publisher's. */
    public URI url(CatalogEntry entry) {
        String mirror = settings.mirror();
        if (mirror == null || mirror.isBlank()) {
            return URI.create(entry.url());
        }
        return URI.create(mirror.endsWith("/") ? mirror + entry.file() : mirror + "/" + entry.file());
    }

    /**
     * @param from a file downloaded elsewhere, checked like a download; null to use the cache or the network
     * @throws PullException one line: the URL or file, what went wrong and what to do
     */
    public Pulled pull(CatalogEntry entry, Path from, TransferListener listener) throws PullException {
        ModelCache cache = settings.cache();
        Path target = cache.file(entry);
        String sha;
        String origin;
        boolean fresh;
        boolean downloaded = false;
        try {
            if (from != null) {
                sha = checkLocal(entry, from);
                if (!sameFile(from, target)) {
                    AtomicFiles.write(target, out -> Files.copy(from, out));
                }
                origin = from.toAbsolutePath().toUri().toString();
                fresh = true;
            } else if (Files.isRegularFile(target) && cachedFileIsGood(entry, target, listener)) {
                sha = HexFormat.of().formatHex(Sha256.digest(target));
                origin = url(entry).toString();
                fresh = false;
            } else {
                URI url = url(entry);
                try {
                    sha = downloader.download(url, entry.bytes(), entry.hash(), target, listener);
                } catch (DownloadException e) {
                    throw new PullException(cancelled ? e.getMessage() : e.getMessage() + "; " + advice(entry), e);
                }
                origin = url.toString();
                fresh = true;
                downloaded = true;
            }
        } catch (IOException e) {
            throw new PullException((from != null ? from : target) + ": " + Downloader.describe(e), e);
        }
        List<Path> packages = new ArrayList<>();
        ModelSource source = new ModelSource(entry.name(), origin, entry.revision(), sha, entry.licence(),
                LocalDate.now(ZoneOffset.UTC).toString());
        for (PackageRecipe recipe : entry.packages()) {
            Path out = cache.packageFile(recipe);
            if (fresh || !Files.isRegularFile(out)) {
                listener.message("making " + out + " (" + recipe.commandLine(entry.file(), entry.licence()) + ")");
                try {
                    PackageMaker.make(entry, recipe, target, source, out);
                } catch (IOException e) {
                    throw new PullException(entry.name() + ": cannot make " + out + ": " + Downloader.describe(e)
                            + "; nothing written", e);
                }
            }
            packages.add(out);
        }
        return new Pulled(entry, target, sha, origin, downloaded, packages);
    }

    /** What to do when the network way fails. */
    static String advice(CatalogEntry entry) {
        return "get " + entry.file() + " another way and run 'peopleseg models pull " + entry.name()
                + " --from FILE', or set PEOPLESEG_MODEL_MIRROR to a server that has it";
    }

    private static String checkLocal(CatalogEntry entry, Path from) throws PullException, IOException {
        if (!Files.isRegularFile(from)) {
            throw new PullException(from + ": no such file (--from must name " + entry.name() + "'s "
                    + entry.file() + ")", null);
        }
        long size = Files.size(from);
        byte[] digest = Sha256.digest(from);
        if ((entry.bytes() > 0 && size != entry.bytes()) || !entry.hash().matches(digest)) {
            throw new PullException(from + ": " + size + " bytes, SHA-256 " + HexFormat.of().formatHex(digest)
                    + ": not " + entry.name() + "'s " + entry.file() + " (" + (entry.bytes() > 0 ? entry.bytes()
                    + " bytes, " : "") + entry.hash().describe() + "); nothing cached", null);
        }
        return HexFormat.of().formatHex(digest);
    }

    private static boolean cachedFileIsGood(CatalogEntry entry, Path file, TransferListener listener)
            throws IOException {
        boolean sizeOk = entry.bytes() <= 0 || Files.size(file) == entry.bytes();
        if (sizeOk && entry.hash().matches(Sha256.digest(file))) {
            return true;
        }
        listener.message(file + " does not match the catalogue's hash: deleted, downloading it again");
        Files.delete(file);
        return false;
    }

    private static boolean sameFile(Path a, Path b) throws IOException {
        return Files.exists(b) && Files.isSameFile(a, b);
    }
}
