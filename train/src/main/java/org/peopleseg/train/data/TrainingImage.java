package org.peopleseg.train.data;

import java.nio.file.Path;
import java.util.List;
import org.peopleseg.core.dataset.CocoAnnotation;
import org.peopleseg.core.dataset.CocoImage;

/**
 * One usable training image: its file and the annotations that survived filtering (crowd, unusable boxes,
 * max_num_instances), with their contiguous class labels.
 */
public record TrainingImage(CocoImage image, Path file, List<CocoAnnotation> annotations, int[] labels) {
    public TrainingImage {
        annotations = List.copyOf(annotations);
        labels = labels.clone();
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }
}
