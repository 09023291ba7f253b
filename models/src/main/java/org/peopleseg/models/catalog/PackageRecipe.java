package org.peopleseg.models.catalog;

import java.util.List;

/**
 * How a downloaded file becomes one model package: the same choices as {@code peopleseg import} (TFLite YOLO-seg) or
 * {@code peopleseg build} (torchvision Mask R-CNN), written as data so the catalogue says exactly what a pull runs.
 *
 * @param name      the package's file name in the cache
 * @param tool      "import" or "build"
 * @param precision "fp32" or "int8" (import)
 * @param preset    "torchvision" (build)
 * @param width     network input width (960 by default, PeopleSegNet's canvas)
 * @param height    network input height (576)
 * @param classes   COCO class names kept
 */
public record PackageRecipe(String name, String tool, String precision, String preset, int width, int height,
                            List<String> classes) {
    public PackageRecipe {
        classes = List.copyOf(classes);
        if (!tool.equals("import") && !tool.equals("build")) {
            throw new IllegalArgumentException("package " + name + ": tool must be 'import' or 'build', not '" + tool
                    + "'");
        }
    }

    /** The equivalent command line, for messages and the README: what a user would type by hand. */
    public String commandLine(String file, String licence) {
        String common = " --input-size " + width + "x" + height + " --classes " + String.join(",", classes);
        if (tool.equals("import")) {
            return "peopleseg import --tflite " + file + " --precision " + precision + common + " --licence '"
                    + licence + "' --output " + name;
        }
        return "peopleseg build --preset " + preset + " --weights " + file + common + " --output " + name;
    }
}
