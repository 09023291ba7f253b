package org.peopleseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.peopleseg.core.io.AtomicFiles;
import org.peopleseg.core.licence.LicenceNotice;
import org.peopleseg.runtime.model.ModelMetadata;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code peopleseg build}: a model package (one self-contained ONNX graph plus metadata) from a TAO spec or the
 * torchvision preset, with weights from a torchvision checkpoint or the deterministic formula.
 */
@Command(name = "build",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
                "Build a model package (one ONNX file) from a TAO spec or preset and weights.",
                "",
                "The package is ONE self-contained ONNX graph (opset 17) with metadata properties "
                        + "(architecture, spec text, input size, normalisation, labels, weight provenance).",
                "",
                "The architecture comes from a TAO MaskRCNN spec or from torchvision's maskrcnn_resnet50_fpn "
                        + "conventions; the weights from a torchvision Mask R-CNN checkpoint (torch.save state_dict, "
                        + "read without Python and without running pickled code) or, for trying the pipeline, from "
                        + "a deterministic formula (untrained: the detections mean nothing).",
                "",
                "A checkpoint that does not fit is reported tensor by tensor (missing, unexpected, wrong shape), "
                        + "exit code 2, and nothing is written.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  # torchvision's published COCO weights, cut down to background + person:",
                "  peopleseg build --preset torchvision --classes person \\",
                "      --weights maskrcnn_resnet50_fpn_coco-bf2d0c1e.pth --output people.onnx",
                "  # the PeopleSegNet spec, untrained weights, and the resolved spec saved:",
                "  peopleseg build --spec peoplesegnet.txt --deterministic \\",
                "      --save-spec resolved.txt --output untrained.onnx",
                "  # see torchvision's conventions as a spec, at 768x576:",
                "  peopleseg build --preset torchvision --input-size 768x576 --print-spec"})
final class BuildCommand implements Callable<Integer> {
    static final InputSize DEFAULT_INPUT_SIZE = new InputSize(960, 576);

    enum Preset { torchvision }

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Architecture (one of):%n")
    Architecture architecture;

    static final class Architecture {
        @Option(names = "--spec", paramLabel = "SPEC",
                description = "A TAO MaskRCNN experiment spec (see 'peopleseg spec check').")
        Path specFile;

        @Option(names = "--preset", paramLabel = "NAME",
                description = "Built-in conventions: ${COMPLETION-CANDIDATES} (maskrcnn_resnet50_fpn, the layout "
                        + "of torchvision's checkpoints).")
        Preset preset;
    }

    @Option(names = "--input-size", paramLabel = "WxH", converter = InputSize.Converter.class,
            description = "Preset input size (default: 960x576). For torchvision W is max_size and H min_size: the "
                    + "shorter image side is resized to H unless the longer would exceed W. With --spec, "
                    + "data_config.image_size decides.")
    InputSize inputSize;

    @ArgGroup(exclusive = true, heading = "Weights (one of, required with --output):%n")
    Weights weights;

    static final class Weights {
        @Option(names = "--weights", paramLabel = "CHECKPOINT.pth",
                description = "A torchvision Mask R-CNN checkpoint, e.g. maskrcnn_resnet50_fpn_coco-bf2d0c1e.pth.")
        Path checkpoint;

        @Option(names = "--deterministic",
                description = "Untrained weights from a formula (no download needed): for trying the pipeline and "
                        + "for parity tests; detections are meaningless.")
        boolean deterministic;
    }

    @Option(names = "--classes", paramLabel = "NAME", split = ",",
            description = "Keep background + these COCO classes of a 91-class checkpoint, in this order, e.g. "
                    + "'person' (labels background, person; COCO category ids 0, 1). Default: the checkpoint's "
                    + "classes as they are (91 for the preset).")
    List<String> classes;

    @Option(names = "--licence", paramLabel = "TEXT",
            description = "The weights' licence, recorded in the package (default: 'not recorded'). A package from "
                    + "AGPL-3.0 weights stays AGPL-3.0, and the command says so.")
    String licence;

    @Option(names = "--print-spec", description = "Print the resolved spec (TAO format) to standard output.")
    boolean printSpec;

    @Option(names = "--save-spec", paramLabel = "FILE", description = "Save the resolved spec to FILE.")
    Path saveSpec;

    @Option(names = {"-o", "--output"}, paramLabel = "MODEL.onnx",
            description = "The package to write. May be left out with --print-spec or --save-spec alone.")
    Path output;

    @Override
    public Integer call() throws IOException {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter log = spec.commandLine().getErr();
        ModelDefinition def;
        ClassSelection selection;
        if (architecture.specFile != null) {
            def = ModelDefinition.fromSpec(architecture.specFile);
            selection = classes != null ? ClassSelection.coco(classes) : ClassSelection.defaultFor(def.config().numClasses());
        } else {
            selection = classes != null ? ClassSelection.coco(classes) : ClassSelection.defaultFor(CocoClasses.NAMES.size());
            def = ModelDefinition.torchvision(inputSize != null ? inputSize : DEFAULT_INPUT_SIZE, selection.size());
        }
        if (printSpec) {
            out.print(def.resolvedSpec());
            out.flush();
        }
        if (saveSpec != null) {
            AtomicFiles.writeString(saveSpec, def.resolvedSpec());
            log.println("Saved the resolved spec to " + saveSpec);
            log.flush();
        }
        if (output == null) {
            return Main.OK;
        }
        Path checkpoint = weights.deterministic ? null : weights.checkpoint;
        ModelMetadata meta = new ModelBuilder(log).build(def, selection, checkpoint, licence, output);
        out.printf("%s: %s; classes %s; input %dx%d (%s); weights: %s%n", output, def.summary(),
                selection.describe(), meta.inputWidth(), meta.inputHeight(), meta.resize(), meta.provenance());
        if (checkpoint == null) {
            out.println("NOTE: the weights are UNTRAINED: detections from this model are meaningless.");
        }
        new LicenceNotice(out).derivedArtefact(meta.licence(), output);
        out.flush();
        return Main.OK;
    }

    private void validate() {
        CommandLine cl = spec.commandLine();
        if (inputSize != null && architecture.specFile != null) {
            throw new CommandLine.ParameterException(cl, "--input-size applies to --preset; with --spec set "
                    + "data_config.image_size in the spec");
        }
        if (output == null && weights == null && !printSpec && saveSpec == null) {
            throw new CommandLine.ParameterException(cl, "Missing required option: '--output=MODEL.onnx'");
        }
        if (output == null && weights != null) {
            throw new CommandLine.ParameterException(cl, "Missing required option: '--output=MODEL.onnx' (where "
                    + "to write the package built from the weights)");
        }
        if (output != null && weights == null) {
            throw new CommandLine.ParameterException(cl, "Missing weights: give --weights CHECKPOINT.pth or "
                    + "--deterministic");
        }
    }
}
