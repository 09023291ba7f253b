package org.peopleseg.models.catalog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.models.maskrcnn.MaskRcnnPackage;
import org.peopleseg.models.maskrcnn.StateDictImport;
import org.peopleseg.models.maskrcnn.WeightTensor;
import org.peopleseg.models.spec.SpecWriter;
import org.peopleseg.models.spec.TorchvisionPreset;
import org.peopleseg.models.tflite.TfliteConverter;
import org.peopleseg.models.torch.TorchCheckpoint;
import org.peopleseg.models.torch.TorchTensor;
import org.peopleseg.models.yolo.CocoLabels;
import org.peopleseg.models.yolo.YoloSegPackage;
import org.peopleseg.runtime.model.ModelSource;

/**
 * Turns a verified download into the packages its {@link PackageRecipe}s describe, with the same code paths as
 * {@code peopleseg import} and {@code peopleseg build}; every package is written atomically by those writers.
 */
final class PackageMaker {
    private PackageMaker() {}

    /** @throws IOException the file cannot be read or does not fit the recipe (message names it) */
    static void make(CatalogEntry entry, PackageRecipe recipe, Path file, ModelSource source, Path out)
            throws IOException {
        try {
            if (recipe.tool().equals("import")) {
                TfliteConverter.Precision precision = recipe.precision().equalsIgnoreCase("int8")
                        ? TfliteConverter.Precision.INT8 : TfliteConverter.Precision.FP32;
                YoloSegPackage.importTflite(file, new YoloSegPackage.ImportOptions(recipe.width(), recipe.height(),
                        precision, recipe.classes(), entry.licence()), source, out);
            } else {
                buildMaskRcnn(entry, recipe, file, source, out);
            }
        } catch (IOException e) {
            throw e;
        } catch (StateDictImport.MismatchException e) {
            List<String> problems = e.problems();
            throw new IOException(file + " does not fit torchvision's Mask R-CNN R50-FPN (" + problems.size()
                    + " problem" + (problems.size() == 1 ? "" : "s") + ", first: " + problems.get(0) + ")", e);
        } catch (Exception e) {
            throw new IOException(file + ": cannot make " + recipe.name() + ": " + e.getMessage(), e);
        }
    }

    private static void buildMaskRcnn(CatalogEntry entry, PackageRecipe recipe, Path file, ModelSource source,
                                      Path out) throws IOException, StateDictImport.MismatchException {
        if (!recipe.preset().equals("torchvision")) {
            throw new IllegalArgumentException("unknown preset '" + recipe.preset() + "'");
        }
        // a 91-slot COCO checkpoint: slot = COCO category id, 0 = background (as 'build --classes' keeps them)
        List<String> labels = new ArrayList<>(List.of("background"));
        List<Integer> ids = new ArrayList<>(List.of(0));
        for (String c : recipe.classes()) {
            int i = CocoLabels.NAMES.indexOf(c.toLowerCase(Locale.ROOT));
            if (i < 0) {
                throw new IllegalArgumentException("'" + c + "' is not a COCO class");
            }
            labels.add(CocoLabels.NAMES.get(i));
            ids.add(CocoLabels.IDS.get(i));
        }
        MaskRcnnConfig config = TorchvisionPreset.maskrcnnResnet50Fpn(recipe.height(), recipe.width(), labels.size());
        Map<String, WeightTensor> tensors = new LinkedHashMap<>();
        TorchCheckpoint.readStateDict(file).forEach((name, t) -> tensors.put(name, asWeight(t)));
        Map<String, WeightTensor> weights = StateDictImport.adapt(config, tensors,
                ids.stream().mapToInt(Integer::intValue).toArray());
        String provenance = "torchvision checkpoint " + file.getFileName() + " (sha256 " + source.sha256()
                + "), kept classes " + String.join(", ", labels);
        MaskRcnnPackage.write(config, SpecWriter.render(config), weights, labels, ids, provenance, entry.licence(),
                source, java.util.Map.of(), out);
    }

    private static WeightTensor asWeight(TorchTensor t) {
        return new WeightTensor(t.shape(), t.toFloats());
    }
}
