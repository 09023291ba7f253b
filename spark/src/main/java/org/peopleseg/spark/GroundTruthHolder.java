package org.peopleseg.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.peopleseg.core.dataset.CocoDataset;

/**
 * The ground truth of a distributed evaluation, read once per executor JVM (from shared storage, or the copy
 * shipped with {@code --files}; see {@link SegmenterHolder#resolve}) for every partition that matches against it.
 */
final class GroundTruthHolder {
    private static final Object LOCK = new Object();
    private static CocoDataset dataset;
    private static String file;

    private GroundTruthHolder() {}

    static CocoDataset get(String annotations) {
        synchronized (LOCK) {
            if (dataset == null || !annotations.equals(file)) {
                try {
                    Path p = SegmenterHolder.resolve(annotations);
                    dataset = CocoDataset.read(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e.getMessage(), e);
                }
                file = annotations;
            }
            return dataset;
        }
    }
}
