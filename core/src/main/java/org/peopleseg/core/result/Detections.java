package org.peopleseg.core.result;

import java.util.List;

/**
 * Everything found in one image.
 *
 * @param source    where the image came from (file name, frame id), for messages and outputs
 * @param width     original image width in pixels
 * @param height    original image height in pixels
 * @param instances sorted by descending score
 */
public record Detections(String source, int width, int height, List<Instance> instances) {
    public Detections {
        instances = List.copyOf(instances);
    }
}
