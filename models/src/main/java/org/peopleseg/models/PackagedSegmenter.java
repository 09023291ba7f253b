package org.peopleseg.models;

import org.peopleseg.core.Segmenter;
import org.peopleseg.runtime.model.ModelMetadata;

/** A {@link Segmenter} opened from a model package, which can say what it is (architecture, input, weights). */
public interface PackagedSegmenter extends Segmenter {
    ModelMetadata metadata();
}
