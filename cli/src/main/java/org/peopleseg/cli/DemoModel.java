package org.peopleseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.peopleseg.models.catalog.CatalogEntry;
import org.peopleseg.models.catalog.ModelCache;
import org.peopleseg.models.catalog.PackageRecipe;

/**
 * The model the demo runs, chosen without asking: the best one obtainable right now, in this order —
 * the cached YOLO11n-seg package; YOLO11n-seg from the shared data (no network, how CI runs it); YOLO11n-seg
 * pulled from its publisher (3.7 MB, once); only when none works, the untrained Mask R-CNN, with why.
 *
 * @param path        the package
 * @param description what it is, for the closing lines
 * @param real        false for the untrained fallback
 * @param slow        about 2 s per frame (Mask R-CNN): the demo then streams fewer frames
 */
record DemoModel(Path path, String description, boolean real, boolean slow) {
    static final String ENTRY = "yolo11n-seg";
    // int8: 1.7x faster than fp32 at 960x576 for 0-2 AP points (README, Accuracy), so the demo stays near a minute
    static final String PACKAGE = "yolo11n-seg-int8-960x576.onnx";
    static final String UNTRAINED_NAME = "maskrcnn-r50fpn-torchvision-960x576-person-untrained.onnx";
    static final InputSize UNTRAINED_SIZE = new InputSize(960, 576);

    /**
     * @param shared  the shared data folder, or null
     * @param offline never use the network
     * @param root    the cache root (the untrained model is kept there, catalogue files under models/)
     */
    static DemoModel choose(ModelCache cache, Path root, Path shared, boolean offline, boolean rebuild,
                            PrintWriter out, PrintWriter err) throws IOException {
        CatalogEntry entry = ModelCatalogAccess.catalog().find(ENTRY).orElseThrow();
        PackageRecipe recipe = entry.findPackage(PACKAGE).orElseThrow();
        Path pkg = cache.packageFile(recipe);
        String what = "YOLO11n-seg int8 960x576, COCO-pretrained (" + entry.licence() + ")";
        if (Files.isRegularFile(pkg)) {
            say(out, "Model: " + what + ", cached: " + pkg);
            return new DemoModel(pkg, what, true, false);
        }
        CatalogEntry maskRcnn = ModelCatalogAccess.catalog().find("maskrcnn-r50-fpn-coco").orElseThrow();
        Path maskRcnnPkg = cache.packageFile(maskRcnn.defaultPackage().orElseThrow());
        if (Files.isRegularFile(maskRcnnPkg)) {
            String m = "torchvision's COCO Mask R-CNN R50-FPN 960x576 (" + maskRcnn.licence() + ")";
            say(out, "Model: " + m + ", cached: " + maskRcnnPkg);
            return new DemoModel(maskRcnnPkg, m, true, true);
        }
        String whyNot;
        Path sharedFile = shared == null ? null : shared.resolve("models/ultralytics-st").resolve(entry.file());
        if (sharedFile != null && Files.isRegularFile(sharedFile)) {
            say(out, "Model: " + what + " from " + sharedFile + " (no download; verified and packaged into "
                    + cache.dir() + ")");
            try {
                ModelsPullCommand.pull(entry, cache, sharedFile, err);
                return new DemoModel(pkg, what, true, false);
            } catch (CliException e) {
                say(err, e.getMessage());
            }
        }
        if (offline) {
            whyNot = "--offline, and no " + entry.file() + " in the shared data (" + (shared == null ? "none found"
                    : shared) + ")";
        } else {
            say(out, "Model: pulling " + ENTRY + " (" + Units.megabytes(entry.bytes()) + ", once) into " + cache.dir());
            try {
                ModelsPullCommand.pull(entry, cache, null, err);
                return new DemoModel(pkg, what, true, false);
            } catch (CliException e) {
                whyNot = e.getMessage();
            }
        }
        say(out, "No real model: " + whyNot);
        say(out, "Running the UNTRAINED Mask R-CNN instead (its detections are meaningless). For real people: "
                + "'peopleseg models pull " + ENTRY + "' (3.7 MB, internet once), or '... --from FILE' with "
                + entry.file() + " downloaded elsewhere, or the shared data at ../shared (PEOPLESEG_SHARED).");
        return untrained(root, rebuild, out, err);
    }

    /** The cached untrained Mask R-CNN package, built first if missing (about 10 s and 180 MB, once). */
    private static DemoModel untrained(Path root, boolean rebuild, PrintWriter out, PrintWriter err)
            throws IOException {
        Path model = root.resolve(UNTRAINED_NAME);
        String what = "Mask R-CNN R50-FPN 960x576 with UNTRAINED deterministic weights";
        if (Files.isRegularFile(model) && !rebuild) {
            say(out, "Model: " + model + " (cached; --rebuild builds it again)");
            return new DemoModel(model, what, false, true);
        }
        say(out, "Model: building " + model + " (once; about 10 s and 180 MB) ...");
        ModelDefinition def = ModelDefinition.torchvision(UNTRAINED_SIZE, 2);
        new ModelBuilder(err).build(def, ClassSelection.coco(List.of("person")), null, null, model);
        return new DemoModel(model, what, false, true);
    }

    private static void say(PrintWriter w, String line) {
        w.println(line);
        w.flush();
    }
}
