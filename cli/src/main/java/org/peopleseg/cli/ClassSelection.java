package org.peopleseg.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The classes of a model package: a label and a COCO category id per class index (index 0 = background), and which
 * class slots of a 91-class COCO checkpoint they come from.
 *
 * @param labels      by class index, "background" first
 * @param categoryIds by class index
 * @param keep        the checkpoint's class slots to keep, in order, or null to keep the checkpoint's classes as
 *                    they are
 */
record ClassSelection(List<String> labels, List<Integer> categoryIds, int[] keep) {

    ClassSelection {
        labels = List.copyOf(labels);
        categoryIds = List.copyOf(categoryIds);
    }

    int size() {
        return labels.size();
    }

    /**
     * Background plus the named COCO classes, in the order given: {@code [person]} keeps checkpoint slots [0, 1]
     * with labels background, person and category ids 0, 1 (PeopleSegNet's two classes).
     *
     * @throws CliException naming an unknown or repeated class
     */
    static ClassSelection coco(List<String> names) {
        List<String> labels = new ArrayList<>(List.of(CocoClasses.BACKGROUND));
        List<Integer> ids = new ArrayList<>(List.of(0));
        for (String name : names) {
            int id = CocoClasses.idOf(name);
            if (id < 0) {
                String close = CocoClasses.suggest(name);
                throw CliException.error("--classes: '" + name + "' is not a COCO class"
                        + (close != null ? "; did you mean '" + close + "'?" : " (e.g. person, car, dog: the 80 "
                        + "names of COCO 2017)"));
            }
            if (ids.contains(id)) {
                throw CliException.error("--classes: '" + name + "' is given twice");
            }
            labels.add(CocoClasses.NAMES.get(id));
            ids.add(id);
        }
        return new ClassSelection(labels, ids, ids.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * The labels a model of {@code numClasses} gets when no classes are named: all of COCO for 91 (torchvision's
     * checkpoints), background + person for 2 (PeopleSegNet), otherwise "class_1".."class_N" with ids 1..N.
     */
    static ClassSelection defaultFor(int numClasses) {
        if (numClasses == CocoClasses.NAMES.size()) {
            return new ClassSelection(CocoClasses.NAMES, IntStream.range(0, numClasses).boxed().toList(), null);
        }
        if (numClasses == 2) {
            return new ClassSelection(List.of(CocoClasses.BACKGROUND, "person"), List.of(0, 1), null);
        }
        List<String> labels = new ArrayList<>(List.of(CocoClasses.BACKGROUND));
        for (int i = 1; i < numClasses; i++) {
            labels.add("class_" + i);
        }
        return new ClassSelection(labels, IntStream.range(0, numClasses).boxed().toList(), null);
    }

    /** "background, person" or, for long lists, "background, person, ... (91 classes)". */
    String describe() {
        if (labels.size() <= 6) {
            return String.join(", ", labels);
        }
        return String.join(", ", labels.subList(0, 4)) + ", ... (" + labels.size() + " classes)";
    }
}
