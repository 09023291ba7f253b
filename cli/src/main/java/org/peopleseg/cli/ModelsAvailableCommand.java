package org.peopleseg.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.peopleseg.models.catalog.CatalogEntry;
import org.peopleseg.models.catalog.ModelCache;
import org.peopleseg.models.catalog.PackageRecipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code peopleseg models available}: the catalogue, and what of it is cached. */
@Command(name = "available",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {"The models and sample files 'peopleseg models pull' can fetch: name, size, licence, cached "
                + "or not; with --details the URL, revision, hash and the packages each becomes.", ""})
final class ModelsAvailableCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--details", description = "Also the URL, revision, hash and package commands of each entry.")
    boolean details;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ModelCache cache = ModelCatalogAccess.cache(null);
        out.printf(Locale.ROOT, "%-22s %-6s %10s  %-9s %s%n", "name", "kind", "size", "cached", "licence");
        for (CatalogEntry e : ModelCatalogAccess.catalog().entries()) {
            String size = (e.bytes() > 0 ? "" : "~") + Units.megabytes(e.displayBytes());
            out.printf(Locale.ROOT, "%-22s %-6s %10s  %-9s %s%n", e.name(), e.kind(), size,
                    cache.isCached(e) ? "yes" : "no", e.licence());
            if (details) {
                out.println("    " + e.description());
                out.println("    url:      " + e.url());
                out.println("    revision: " + e.revision());
                out.println("    hash:     " + e.hash().describe()
                        + (e.bytes() > 0 ? ", " + e.bytes() + " bytes" : ""));
                for (PackageRecipe p : e.packages()) {
                    out.println("    package:  " + p.commandLine(e.file(), e.licence()));
                }
            }
        }
        out.println("Cache: " + cache.dir() + "   (peopleseg models pull NAME [--from FILE]; PEOPLESEG_HOME moves it)");
        out.flush();
        return Main.OK;
    }
}
