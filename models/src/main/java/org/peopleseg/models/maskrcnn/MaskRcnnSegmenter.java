package org.peopleseg.models.maskrcnn;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peopleseg.models.PackagedSegmenter;
import org.peopleseg.core.StageTimes;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.image.NetworkInput;
import org.peopleseg.core.image.Preprocessor;
import org.peopleseg.core.mask.BitMask;
import org.peopleseg.core.mask.MaskPaster;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.Instance;
import org.peopleseg.runtime.model.ModelMetadata;
import org.peopleseg.runtime.session.OnnxSession;
import org.peopleseg.runtime.session.OrtTensors;

/**
 * A Mask R-CNN model package as a {@link Segmenter}: resize/normalise/pad in Java, the whole network in ONNX
 * Runtime, then boxes scaled back to the original image (torchvision's resize_boxes, float32) and masks pasted at
 * full resolution (torchvision's paste_masks_in_image) and thresholded at {@code maskThreshold}.
 */
public final class MaskRcnnSegmenter implements PackagedSegmenter {
    private final OnnxSession session;
    private final ModelMetadata meta;
    private final Preprocessor preprocessor;
    private final float scoreThreshold;
    private final float maskThreshold;
    private StageTimes last = StageTimes.NONE;

    /**
     * @param session        an open session over a Mask R-CNN package; this segmenter closes it
     * @param scoreThreshold detections scoring at or below this are dropped inside the graph (before the mask head)
     */
    public MaskRcnnSegmenter(OnnxSession session, ModelMetadata meta, double scoreThreshold, double maskThreshold) {
        this.session = session;
        this.meta = meta;
        this.preprocessor = new Preprocessor(
                "min_max".equals(meta.resize()) ? Preprocessor.Mode.MIN_MAX : Preprocessor.Mode.FIT_PAD,
                meta.inputWidth(), meta.inputHeight(), meta.mean(), meta.std(), 32);
        this.scoreThreshold = (float) scoreThreshold;
        this.maskThreshold = (float) maskThreshold;
    }

    @Override
    public ModelMetadata metadata() {
        return meta;
    }

    @Override
    public Detections segment(BufferedImage image, String source) {
        long t0 = System.nanoTime();
        NetworkInput in = preprocessor.apply(ImageReader.toRgb(image));
        OrtEnvironment env = OnnxSession.environment();
        long t1;
        long t2;
        List<Instance> instances = new ArrayList<>();
        try (OnnxTensor img = OnnxTensor.createTensor(env, FloatBuffer.wrap(in.chw()),
                new long[] {1, 3, in.paddedHeight(), in.paddedWidth()});
             OnnxTensor size = OnnxTensor.createTensor(env, new float[] {in.resizedHeight(), in.resizedWidth()});
             OnnxTensor thr = OnnxTensor.createTensor(env, new float[] {scoreThreshold})) {
            t1 = System.nanoTime();
            try (OrtSession.Result r = session.run(Map.of(MaskRcnnGraph.IMAGE, img, MaskRcnnGraph.IMAGE_SIZE, size,
                    MaskRcnnGraph.SCORE_THRESHOLD, thr))) {
                t2 = System.nanoTime();
                float[] boxes = OrtTensors.floats(r, MaskRcnnGraph.BOXES);
                float[] scores = OrtTensors.floats(r, MaskRcnnGraph.SCORES);
                long[] labels = OrtTensors.longs(r, MaskRcnnGraph.LABELS);
                float[] masks = r.get(MaskRcnnGraph.MASKS).isPresent() ? OrtTensors.floats(r, MaskRcnnGraph.MASKS) : null;
                int n = scores.length;
                int m = masks == null || n == 0 ? 0 : (int) Math.round(Math.sqrt(masks.length / (double) n));
                // torchvision's resize_boxes: float32 ratio original/resized per axis (exact in float)
                float rx = (float) in.scaleX();
                float ry = (float) in.scaleY();
                for (int i = 0; i < n; i++) {
                    Box box = new Box(boxes[4 * i] * rx, boxes[4 * i + 1] * ry, boxes[4 * i + 2] * rx, boxes[4 * i + 3] * ry);
                    BitMask mask = null;
                    if (masks != null) {
                        float[] probs = new float[m * m];
                        System.arraycopy(masks, i * m * m, probs, 0, m * m);
                        mask = MaskPaster.paste(probs, m, box, in.originalWidth(), in.originalHeight(), maskThreshold);
                    }
                    int cls = (int) labels[i];
                    instances.add(new Instance(box, scores[i], meta.categoryIds().get(cls), meta.labels().get(cls), mask));
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException(source + ": inference failed: " + e.getMessage(), e);
        }
        long t3 = System.nanoTime();
        last = new StageTimes(t1 - t0, t2 - t1, t3 - t2);
        return new Detections(source, in.originalWidth(), in.originalHeight(), instances);
    }

    @Override
    public StageTimes lastTimes() {
        return last;
    }

    @Override
    public void close() {
        session.close();
    }
}
