package org.peopleseg.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.peopleseg.core.result.ImageIds;

/**
 * One image of an {@code infer} run: the file, its COCO image id and the name its outputs get
 * ({@code detections/NAME.json}, {@code overlays/NAME.jpg}).
 *
 * <p>Image ids: {@link ImageIds} (a numeric file name is its COCO id). Names: the file name
 * without extension, with "-2", "-3", ... appended when two inputs would share one.
 */
record InputImage(Path file, long id, String name) {

    static List<InputImage> assign(List<Path> files) {
        long[] ids = ImageIds.assign(files.stream().map(InputImage::stem).toList());
        Map<String, Integer> nameCounts = new HashMap<>();
        Set<String> names = new HashSet<>();
        List<InputImage> out = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            out.add(new InputImage(files.get(i), ids[i], uniqueName(stem(files.get(i)), nameCounts, names)));
        }
        return out;
    }

    /** The file name as it appears in results: the base name. */
    String fileName() {
        return file.getFileName().toString();
    }

    /** Whether the input is a JPEG by its name (its overlay is then a JPEG too, by default). */
    boolean isJpeg() {
        String n = fileName().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    static String stem(Path file) {
        return ImageIds.stem(file.getFileName().toString());
    }

    /** See {@link ImageIds#numericId}. */
    static Long numericId(String stem) {
        return ImageIds.numericId(stem);
    }

    private static String uniqueName(String stem, Map<String, Integer> counts, Set<String> used) {
        String base = stem.isEmpty() ? "image" : stem;
        String name = base;
        int n = counts.getOrDefault(base, 1);
        while (!used.add(name.toLowerCase(Locale.ROOT))) { // case-insensitive: safe on macOS / Windows file systems
            n++;
            name = base + "-" + n;
        }
        counts.put(base, n);
        return name;
    }
}
