package org.peopleseg.core;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.result.Detections;

/**
 * Finds people (or the model's classes) in images. Implementations hold native resources: close them.
 * Not required to be thread-safe; use one per thread or synchronise.
 */
public interface Segmenter extends AutoCloseable {

    /** Detections for one image; boxes and masks are in the image's own pixels. */
    Detections segment(BufferedImage image, String source);

    default Detections segment(BufferedImage image) {
        return segment(image, "image");
    }

    default Detections segment(Path imageFile) throws IOException {
        return segment(ImageReader.read(imageFile), imageFile.getFileName().toString());
    }

    default List<Detections> segment(List<BufferedImage> images) {
        List<Detections> out = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            out.add(segment(images.get(i), "image-" + i));
        }
        return out;
    }

    /** Stage timings of the most recent {@code segment} call ({@link StageTimes#NONE} before the first). */
    default StageTimes lastTimes() {
        return StageTimes.NONE;
    }

    @Override
    void close();
}
