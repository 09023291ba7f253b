package org.peopleseg.models;

import java.io.IOException;
import java.nio.file.Path;
import org.peopleseg.core.Segmenter;
import org.peopleseg.models.maskrcnn.MaskRcnnPackage;
import org.peopleseg.models.maskrcnn.MaskRcnnSegmenter;
import org.peopleseg.models.yolo.YoloSegPackage;
import org.peopleseg.models.yolo.YoloSegSegmenter;
import org.peopleseg.runtime.model.ModelMetadata;
import org.peopleseg.runtime.session.OnnxSession;
import org.peopleseg.runtime.session.SessionSettings;

/** Opens a model package as a {@link Segmenter}, choosing the implementation by the package's architecture. */
public final class Segmenters {
    private Segmenters() {}

    /**
     * @param scoreThreshold keep detections scoring above this
     * @throws IOException naming the file when it is missing, not ONNX, or not a peopleseg package
     */
    public static PackagedSegmenter open(Path model, SessionSettings settings, double scoreThreshold) throws IOException {
        return open(OnnxSession.open(model, settings), scoreThreshold);
    }

    /**
     * With test-time augmentation ({@link TestTimeAugmentation#NONE} is the plain {@link #open}).
     *
     * @throws IOException also when the package's architecture has no such augmentation (it names both)
     */
    public static PackagedSegmenter open(Path model, SessionSettings settings, double scoreThreshold,
                                         TestTimeAugmentation augmentation) throws IOException {
        return open(OnnxSession.open(model, settings), scoreThreshold, augmentation);
    }

    /** Over an already open session (e.g. one with an observer); the segmenter owns and closes it. */
    public static PackagedSegmenter open(OnnxSession session, double scoreThreshold) throws IOException {
        return open(session, scoreThreshold, TestTimeAugmentation.NONE);
    }

    private static PackagedSegmenter open(OnnxSession session, double scoreThreshold,
                                          TestTimeAugmentation augmentation) throws IOException {
        Path model = session.file();
        try {
            ModelMetadata meta;
            try {
                meta = ModelMetadata.fromProperties(session.metadata());
            } catch (IllegalArgumentException e) {
                throw new IOException(model + ": " + e.getMessage(), e);
            }
            return switch (meta.architecture()) {
                case MaskRcnnPackage.ARCHITECTURE -> {
                    if (augmentation != TestTimeAugmentation.NONE) {
                        throw new IOException(model + ": test-time augmentation '" + augmentation.cliName()
                                + "' is implemented for yolo-seg packages only; this one is " + meta.architecture());
                    }
                    yield new MaskRcnnSegmenter(session, meta, scoreThreshold, 0.5);
                }
                case YoloSegPackage.ARCHITECTURE -> new YoloSegSegmenter(session, meta, scoreThreshold, augmentation);
                default -> throw new IOException(model + ": unknown architecture '" + meta.architecture() + "'");
            };
        } catch (IOException | RuntimeException e) {
            session.close();
            throw e;
        }
    }
}
