package org.peopleseg.core.result;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * COCO image ids for files that have none: shared by {@code peopleseg infer} and the Spark job, so that both give
 * an image the same id.
 *
 * <p>A file whose name without extension is a number, as in COCO ({@code 000000081394.jpg}), gets that number, so
 * results can be evaluated against the COCO annotations directly. Every other file (and a second file with an
 * already used number) gets the smallest positive id not yet taken, in input order. Ids are assigned before anything
 * runs, to inputs that will fail too, so fixing a broken file changes no other image's id.
 */
public final class ImageIds {
    private ImageIds() {}

    /** @param stems file names without extension, in input order; returns their ids in the same order */
    public static long[] assign(List<String> stems) {
        Set<Long> taken = new HashSet<>();
        long[] ids = new long[stems.size()];
        for (int i = 0; i < stems.size(); i++) {
            Long id = numericId(stems.get(i));
            if (id != null && taken.add(id)) {
                ids[i] = id;
            }
        }
        long next = 1;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == 0) {
                while (taken.contains(next)) {
                    next++;
                }
                ids[i] = next;
                taken.add(next);
            }
        }
        return ids;
    }

    /** The file name without its extension. */
    public static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    /** The number a COCO-style file name stands for, or null (not all digits, or too long for a long). */
    public static Long numericId(String stem) {
        if (stem.isEmpty() || stem.length() > 18 || !stem.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        long v = Long.parseLong(stem);
        return v > 0 ? v : null;
    }
}
