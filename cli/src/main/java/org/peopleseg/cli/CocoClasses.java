package org.peopleseg.cli;

import org.peopleseg.core.text.EditDistance;

import java.util.List;
import java.util.Locale;

/**
 * The 91 class slots of a torchvision COCO detection checkpoint: slot i is COCO category id i, slot 0 the
 * background, and the 11 ids COCO never used are "N/A" (torchvision's {@code _COCO_CATEGORIES}).
 */
final class CocoClasses {
    static final String BACKGROUND = "background";

    /** Index = COCO category id. */
    static final List<String> NAMES = List.of(
            BACKGROUND, "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat",
            "traffic light", "fire hydrant", "N/A", "stop sign", "parking meter", "bench", "bird", "cat", "dog",
            "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "N/A", "backpack", "umbrella", "N/A",
            "N/A", "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard", "sports ball", "kite",
            "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle", "N/A",
            "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple", "sandwich", "orange",
            "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch", "potted plant", "bed",
            "N/A", "dining table", "N/A", "N/A", "toilet", "N/A", "tv", "laptop", "mouse", "remote", "keyboard",
            "cell phone", "microwave", "oven", "toaster", "sink", "refrigerator", "N/A", "book", "clock", "vase",
            "scissors", "teddy bear", "hair drier", "toothbrush");

    private CocoClasses() {}

    /** The COCO category id of a class name (case-insensitive), or -1; "N/A" and the background are not classes. */
    static int idOf(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (int i = 1; i < NAMES.size(); i++) {
            if (NAMES.get(i).equals(n)) {
                return i;
            }
        }
        return -1;
    }

    /** The class name closest to a misspelt one (at most 2 edits away), or null. */
    static String suggest(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = 3;
        for (int i = 1; i < NAMES.size(); i++) {
            int d = EditDistance.levenshtein(n, NAMES.get(i));
            if (d < bestDistance && !NAMES.get(i).equals("N/A")) {
                best = NAMES.get(i);
                bestDistance = d;
            }
        }
        return best;
    }

}
