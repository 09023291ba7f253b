package org.peopleseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.peopleseg.core.io.Sha256;
import org.peopleseg.models.maskrcnn.DeterministicWeights;
import org.peopleseg.models.maskrcnn.MaskRcnnPackage;
import org.peopleseg.models.maskrcnn.StateDictImport;
import org.peopleseg.models.maskrcnn.WeightTensor;
import org.peopleseg.models.torch.TorchCheckpoint;
import org.peopleseg.models.torch.TorchTensor;
import org.peopleseg.runtime.model.ModelMetadata;

/**
 * Makes a model package: weights (a torchvision checkpoint, checked and adapted, or the deterministic formula)
 * into the graph of a {@link ModelDefinition}, written atomically. Reports each slow step on {@code log}.
 * Shared by {@code peopleseg build} and {@code peopleseg demo}.
 */
final class ModelBuilder {
    static final String DETERMINISTIC_PROVENANCE = "deterministic formula weights, UNTRAINED";

    private final PrintWriter log;

    ModelBuilder(PrintWriter log) {
        this.log = log;
    }

    /**
     * @param checkpoint a {@code torch.save} state_dict of a torchvision Mask R-CNN, or null for deterministic
     *                   (untrained) weights
     * @param licence    the weights' licence for the package metadata, or null for the default wording
     * @throws CliException listing every missing, unexpected or mis-shaped tensor; nothing is written then
     */
    ModelMetadata build(ModelDefinition def, ClassSelection classes, Path checkpoint, String licence, Path output)
            throws IOException {
        if (classes.size() != def.config().numClasses()) {
            throw CliException.error(def.origin() + " defines " + def.config().numClasses() + " classes but "
                    + classes.size() + " are selected (" + classes.describe() + ")");
        }
        if (Files.isDirectory(output)) {
            throw CliException.error(output + ": is a directory; give the model file to write, e.g. people.onnx");
        }
        Map<String, WeightTensor> weights;
        String provenance;
        if (checkpoint == null) {
            weights = DeterministicWeights.forConfig(def.config());
            provenance = DETERMINISTIC_PROVENANCE;
            licence = licence != null ? licence : "none (generated, untrained weights)";
        } else {
            weights = checkpointWeights(def, classes, checkpoint);
            provenance = "torchvision checkpoint " + checkpoint.getFileName() + " (sha256 " + Sha256.hex(checkpoint) + ")"
                    + (classes.keep() != null ? ", kept classes " + String.join(", ", classes.labels()) : "");
            licence = licence != null ? licence : "not recorded: that of " + checkpoint.getFileName();
        }
        log.println("Building the ONNX graph (" + def.summary() + ") and writing " + output + " ...");
        log.flush();
        long t0 = System.nanoTime();
        ModelMetadata meta = MaskRcnnPackage.write(def.config(), def.specText(), weights, classes.labels(),
                classes.categoryIds(), provenance, licence, output);
        log.printf("Wrote %s (%s) in %s%n", output, Units.megabytes(Files.size(output)), Units.seconds(System.nanoTime() - t0));
        log.flush();
        return meta;
    }

    private Map<String, WeightTensor> checkpointWeights(ModelDefinition def, ClassSelection classes, Path checkpoint)
            throws IOException {
        log.println("Reading checkpoint " + checkpoint + (Files.isRegularFile(checkpoint)
                ? " (" + Units.megabytes(Files.size(checkpoint)) + ")" : "") + " ...");
        log.flush();
        long t0 = System.nanoTime();
        Map<String, TorchTensor> stateDict = TorchCheckpoint.readStateDict(checkpoint);
        Map<String, WeightTensor> tensors = new LinkedHashMap<>();
        stateDict.forEach((name, t) -> tensors.put(name, new WeightTensor(t.shape(), t.toFloats())));
        log.printf("Read %d tensors in %s%n", tensors.size(), Units.seconds(System.nanoTime() - t0));
        log.flush();
        try {
            return StateDictImport.adapt(def.config(), tensors, classes.keep());
        } catch (StateDictImport.MismatchException e) {
            StringBuilder msg = new StringBuilder(checkpoint + " does not fit " + def.summary() + " ("
                    + e.problems().size() + " problem" + (e.problems().size() == 1 ? "" : "s") + "), nothing written:");
            e.problems().forEach(p -> msg.append("\n  ").append(p));
            if (classes.keep() == null && e.problems().stream().anyMatch(p -> p.contains("cls_score.weight is [91,"))) {
                msg.append("\nhint: this is a 91-class COCO checkpoint; --classes person keeps background + person");
            }
            throw new CliException(Main.ERROR, msg.toString(), e);
        } catch (IllegalArgumentException e) {
            throw new CliException(Main.ERROR, checkpoint + ": " + e.getMessage() + ", nothing written", e);
        }
    }
}
