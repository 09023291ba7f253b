package org.peopleseg.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.models.spec.SpecReport;
import org.peopleseg.models.spec.SpecResolver;
import org.peopleseg.models.spec.SpecWriter;
import org.peopleseg.models.spec.TaoSpec;
import org.peopleseg.models.spec.TorchvisionPreset;

/**
 * The architecture a package is built from and the spec text stored in it.
 *
 * @param config   the resolved architecture
 * @param specText what goes into the package: the user's spec as written, or the preset rendered as a spec
 * @param origin   where it came from, for messages ("spec.txt", "torchvision preset")
 */
record ModelDefinition(MaskRcnnConfig config, String specText, String origin) {

    /** A TAO spec file; its problems are a {@link CliException} with line:column. */
    static ModelDefinition fromSpec(Path file) throws IOException {
        TaoSpec spec = SpecCheckCommand.parse(file);
        return new ModelDefinition(SpecResolver.resolve(spec), spec.text(), file.toString());
    }

    /**
     * torchvision's {@code maskrcnn_resnet50_fpn} conventions; {@code size} W x H means {@code max_size = W},
     * {@code min_size = H} (the shorter image side becomes H unless the longer would then exceed W).
     */
    static ModelDefinition torchvision(InputSize size, int numClasses) {
        if (size.width() < size.height()) {
            throw CliException.error("--input-size " + size + ": for the torchvision preset WxH means max_size x "
                    + "min_size, so W must be at least H");
        }
        MaskRcnnConfig config = TorchvisionPreset.maskrcnnResnet50Fpn(size.height(), size.width(), numClasses);
        return new ModelDefinition(config, SpecWriter.render(config), "torchvision preset (min_size "
                + size.height() + ", max_size " + size.width() + ")");
    }

    /** The resolved architecture written as a spec: TAO fields plus peopleseg_config for what TAO cannot say. */
    String resolvedSpec() {
        return SpecWriter.render(config);
    }

    /** "Mask R-CNN, ResNet-50 FPN, 2 classes (background + 1)". */
    String summary() {
        String report = SpecReport.describe(config);
        return report.substring(0, report.indexOf('\n'));
    }
}
