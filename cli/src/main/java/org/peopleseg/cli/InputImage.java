package org.peopleseg.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One image of an {@code infer} run: the file, its COCO image id and the name its outputs get
 * ({@code detections/NAME.json}, {@code overlays/NAME.jpg}).
 *
 * <p>Image ids: a file whose name without extension is a number, as in COCO ({@code 000000081394.jpg}), gets that
 * number, so results can be evaluated against the COCO annotations directly. Every other file (and a second file
 * with an already used number) gets the smallest positive id not yet taken, in input order. Ids are assigned before
 * anything runs, to inputs that will fail too, so fixing a broken file changes no other image's id. Names: the file name
 * without extension, with "-2", "-3", ... appended when two inputs would share one.
 */
record InputImage(Path file, long id, String name) {

    static List<InputImage> assign(List<Path> files) {
        Set<Long> taken = new HashSet<>();
        Long[] ids = new Long[files.size()];
        for (int i = 0; i < files.size(); i++) {
            Long id = numericId(stem(files.get(i)));
            if (id != null && taken.add(id)) {
                ids[i] = id;
            }
        }
        long next = 1;
        Map<String, Integer> nameCounts = new HashMap<>();
        Set<String> names = new HashSet<>();
        List<InputImage> out = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            if (ids[i] == null) {
                while (taken.contains(next)) {
                    next++;
                }
                ids[i] = next;
                taken.add(next);
            }
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
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The number a COCO-style file name stands for, or null (not all digits, or too long for a long). */
    static Long numericId(String stem) {
        if (stem.isEmpty() || stem.length() > 18 || !stem.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        long v = Long.parseLong(stem);
        return v > 0 ? v : null;
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
