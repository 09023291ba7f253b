package org.peopleseg.models.yolo;

import ai.onnxruntime.OnnxTensor;
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
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.Instance;
import org.peopleseg.runtime.model.ModelMetadata;
import org.peopleseg.runtime.session.OnnxSession;
import org.peopleseg.runtime.session.OrtTensors;

/**
 * A YOLO-seg package ({@link YoloSegPackage}) as a {@link Segmenter}: letterbox (aspect kept, image top-left, the
 * rest Ultralytics' grey 114), the network in ONNX Runtime, then {@link YoloSegDecoder}: best class per anchor,
 * score threshold, class-aware NMS, boxes back to the original image, masks from prototypes at full resolution.
 */
public final class YoloSegSegmenter implements PackagedSegmenter {
    /** Ultralytics' letterbox fill, as a fraction of 255. */
    public static final float PAD = 114f / 255f;

    private final OnnxSession session;
    private final ModelMetadata meta;
    private final Preprocessor preprocessor;
    private final float scoreThreshold;
    private StageTimes last = StageTimes.NONE;

    /** @param session an open session over a yolo-seg package; this segmenter closes it */
    public YoloSegSegmenter(OnnxSession session, ModelMetadata meta, double scoreThreshold) {
        this.session = session;
        this.meta = meta;
        this.preprocessor = new Preprocessor(Preprocessor.Mode.FIT_PAD, meta.inputWidth(), meta.inputHeight(),
                meta.mean(), meta.std(), 32);
        this.scoreThreshold = (float) scoreThreshold;
    }

    @Override
    public ModelMetadata metadata() {
        return meta;
    }

    @Override
    public Detections segment(BufferedImage image, String source) {
        long t0 = System.nanoTime();
        NetworkInput in = preprocessor.apply(ImageReader.toRgb(image));
        float[] chw = in.chw();
        fillPadding(chw, in);
        int w = in.paddedWidth(), h = in.paddedHeight();
        long t1, t2;
        List<Instance> instances = new ArrayList<>();
        try (OnnxTensor img = OnnxTensor.createTensor(OnnxSession.environment(), FloatBuffer.wrap(chw),
                new long[] {1, 3, h, w})) {
            t1 = System.nanoTime();
            try (OrtSession.Result r = session.run(Map.of("images", img))) {
                t2 = System.nanoTime();
                OnnxTensor detT = (OnnxTensor) r.get(YoloSegPackage.DETECTIONS).orElseThrow();
                long[] ds = detT.getInfo().getShape();
                float[] det = OrtTensors.floats(detT);
                float[] protos = null;
                long[] ps = null;
                if (r.get(YoloSegPackage.PROTOS).isPresent()) {
                    OnnxTensor pt = (OnnxTensor) r.get(YoloSegPackage.PROTOS).get();
                    ps = pt.getInfo().getShape();
                    protos = OrtTensors.floats(pt);
                }
                int n = (int) ds[2];
                int m = ps == null ? 0 : (int) ps[3];
                int k = meta.labels().size();
                List<YoloSegDecoder.Candidate> kept = YoloSegDecoder.nms(
                        YoloSegDecoder.decode(det, n, k, w, h, scoreThreshold), YoloSegDecoder.NMS_IOU,
                        YoloSegDecoder.MAX_DETECTIONS);
                double sx = in.scaleX(), sy = in.scaleY();
                for (YoloSegDecoder.Candidate c : kept) {
                    double bx1 = clamp(c.x1() * sx, in.originalWidth()), bx2 = clamp(c.x2() * sx, in.originalWidth());
                    double by1 = clamp(c.y1() * sy, in.originalHeight()), by2 = clamp(c.y2() * sy, in.originalHeight());
                    if (bx2 < bx1 || by2 < by1) {
                        continue;
                    }
                    Box box = new Box(bx1, by1, bx2, by2);
                    BitMask mask = null;
                    if (protos != null) {
                        float[] coef = new float[m];
                        for (int i = 0; i < m; i++) {
                            coef[i] = det[(4 + k + i) * n + c.anchor()];
                        }
                        int hp = (int) ps[1], wp = (int) ps[2];
                        mask = YoloSegDecoder.mask(protos, hp, wp, m, coef, box, 1 / sx, 1 / sy,
                                (double) w / wp, (double) h / hp, in.originalWidth(), in.originalHeight());
                    }
                    instances.add(new Instance(box, c.score(), meta.categoryIds().get(c.cls()),
                            meta.labels().get(c.cls()), mask));
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException(source + ": inference failed: " + e.getMessage(), e);
        }
        long t3 = System.nanoTime();
        last = new StageTimes(t1 - t0, t2 - t1, t3 - t2);
        return new Detections(source, in.originalWidth(), in.originalHeight(), instances);
    }

    /**
     * Ultralytics pads the letterbox with grey 114, not black: fills everything of {@code chw} outside the resized
     * image with {@link #PAD}. The trainer calls this too, so it trains on the pixels inference sees.
     */
    public static void fillPadding(float[] chw, NetworkInput in) {
        int w = in.paddedWidth(), h = in.paddedHeight();
        for (int c = 0; c < 3; c++) {
            int base = c * w * h;
            for (int y = 0; y < h; y++) {
                int from = y < in.resizedHeight() ? in.resizedWidth() : 0;
                java.util.Arrays.fill(chw, base + y * w + from, base + (y + 1) * w, PAD);
            }
        }
    }

    private static double clamp(double v, int max) {
        return Math.max(0, Math.min(max, v));
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
