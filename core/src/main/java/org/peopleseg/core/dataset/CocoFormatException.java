package org.peopleseg.core.dataset;

import java.io.IOException;

/**
 * A COCO JSON file that cannot be used as it is. The message names the file, the entry (list and index, and the id
 * when it has one) and what is wrong, so a user can open the file and fix it.
 */
public final class CocoFormatException extends IOException {

    public CocoFormatException(String source, String entry, String problem) {
        super(source + ": " + (entry.isEmpty() ? "" : entry + ": ") + problem);
    }
}
