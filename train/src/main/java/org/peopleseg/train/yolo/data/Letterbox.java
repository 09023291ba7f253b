package org.peopleseg.train.yolo.data;

import java.awt.image.BufferedImage;
import org.peopleseg.core.image.NetworkInput;
import org.peopleseg.core.image.Preprocessor;
import org.peopleseg.models.yolo.YoloSegSegmenter;

/**
 * The package's input transform, exactly as {@code YoloSegSegmenter} applies it at inference (so the network trains
 * on the pixels it will see): the image scaled to fit width x height keeping its aspect, placed top-left, values in
 * [0, 1], the rest filled with Ultralytics' grey 114/255.
 */
public final class Letterbox {
    static final float PAD = YoloSegSegmenter.PAD;
    private final Preprocessor preprocessor;

    public Letterbox(int width, int height) {
        this.preprocessor = new Preprocessor(Preprocessor.Mode.FIT_PAD, width, height, new double[] {0, 0, 0},
                new double[] {1, 1, 1}, 32);
    }

    /** The network input for an RGB image. */
    public NetworkInput apply(BufferedImage rgb) {
        NetworkInput in = preprocessor.apply(rgb);
        YoloSegSegmenter.fillPadding(in.chw(), in);
        return in;
    }
}
