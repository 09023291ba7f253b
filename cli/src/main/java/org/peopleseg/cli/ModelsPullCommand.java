package org.peopleseg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.peopleseg.models.catalog.CatalogEntry;
import org.peopleseg.models.catalog.ModelCache;
import org.peopleseg.models.catalog.ModelPuller;
import org.peopleseg.models.catalog.PullException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code peopleseg models pull NAME}: download (or take --from), verify, cache, and make the packages. */
@Command(name = "pull",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
                "Download a catalogue model or sample file, verify its SHA-256, cache it and make its packages.",
                "",
                "The file comes from its publisher's URL pinned to one revision (or, with PEOPLESEG_MODEL_MIRROR=URL, "
                        + "the same file name under that URL), goes to NAME.part in the cache, is resumed with an "
                        + "HTTP Range request if the connection drops, and is renamed to its final name only once its "
                        + "size and hash match. Model files are then made into packages (the 'import' / 'build' "
                        + "arguments shown by 'peopleseg models available') that record the source URL, revision, "
                        + "hash, licence and date.",
                "",
                "Cache: ~/.cache/peopleseg/models ($XDG_CACHE_HOME/peopleseg/models; $PEOPLESEG_HOME/models when "
                        + "set). The JVM's proxy properties are honoured (PEOPLESEG_JAVA_OPTS=\"-Dhttps.proxyHost=... "
                        + "-Dhttps.proxyPort=...\"). Any failure is one line, exit code 2, nothing under a final name.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  peopleseg models pull yolo11n-seg",
                "  peopleseg models pull yolo11n-seg --from ~/Downloads/yolo11n_256_quant_pc_ii_seg_coco-st.tflite",
                "  PEOPLESEG_MODEL_MIRROR=https://models.example.internal/peopleseg peopleseg models pull vtest.avi"})
final class ModelsPullCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "A catalogue name ('peopleseg models available').")
    String name;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Put the file and packages here instead of the cache.")
    Path dir;

    @Option(names = "--from", paramLabel = "FILE",
            description = "Use this file (downloaded elsewhere) instead of the network; checked like a download.")
    Path from;

    @Override
    public Integer call() {
        CatalogEntry entry = ModelCatalogAccess.catalog().find(name).orElseThrow(() -> CliException.error(
                "'" + name + "' is not in the catalogue (" + String.join(", ", ModelCatalogAccess.catalog().names())
                        + ")"));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ModelPuller.Pulled pulled = pull(entry, ModelCatalogAccess.cache(dir), from, err);
        String how = pulled.downloaded() ? "downloaded from " + pulled.origin()
                : from != null ? "from " + from : "already cached";
        out.println(entry.name() + ": " + pulled.file() + " (SHA-256 " + pulled.sha256() + " verified; " + how + ")");
        for (Path p : pulled.packages()) {
            out.println("  package " + p);
        }
        if (!pulled.packages().isEmpty()) {
            out.println("Use it as --model " + entry.name() + " (" + pulled.packages().get(0).getFileName()
                    + ") or --model " + pulled.packages().get(pulled.packages().size() - 1).getFileName()
                    .toString().replace(".onnx", "") + "; e.g. peopleseg infer --model " + entry.name()
                    + " --input photos/ --output out/");
        }
        out.flush();
        return Main.OK;
    }

    /** Pulls with a progress bar, the licence notice and Ctrl-C handling; a failure is a one-line CliException. */
    static ModelPuller.Pulled pull(CatalogEntry entry, ModelCache cache, Path from, PrintWriter err) {
        printLicenceNotice(entry, err);
        ModelPuller puller = ModelCatalogAccess.puller(cache);
        return guarded(puller, err, () -> puller.pull(entry, from, new DownloadProgress(err, Progress.interactive())));
    }

    interface PullAction<T> {
        T run() throws PullException;
    }

    /**
     * Runs a pull that Ctrl-C cancels. Once the JVM is shutting down it exits as soon as the guard is released, so
     * the failure line of an interrupted pull is printed here, while the guard still holds the JVM.
     */
    static <T> T guarded(ModelPuller puller, PrintWriter err, PullAction<T> action) {
        try (InterruptGuard guard = InterruptGuard.install(err, 10, puller::cancel)) {
            try {
                return action.run();
            } catch (PullException e) {
                if (!guard.stopRequested()) {
                    throw new CliException(Main.ERROR, e.getMessage(), e);
                }
                err.println("peopleseg: " + e.getMessage());
                err.flush();
                throw CliException.reported(Main.ERROR);
            }
        }
    }

    /**
     * Says, before the file is used, when its licence has conditions (AGPL-3.0: what is built on these weights and
     * offered to others, also over a network, must be offered under the same licence).
     */
    static void printLicenceNotice(CatalogEntry entry, PrintWriter err) {
        if (!entry.permissive()) {
            err.println("Licence: " + entry.name() + " is " + entry.licence() + " (" + entry.url().replaceAll(
                    "^(https://[^/]+/[^/]+/[^/]+).*", "$1") + "). Packages made from it stay "
                    + entry.licence() + ": if you distribute them or offer them as a network service, you must "
                    + "offer their source under the same licence.");
            err.flush();
        }
    }
}
