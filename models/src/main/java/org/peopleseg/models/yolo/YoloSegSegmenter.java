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
import org.peopleseg.models.TestTimeAugmentation;
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
 *
 * <p>With {@link TestTimeAugmentation#FLIP} the network also runs on the mirrored letterbox; each view is decoded
 * and NMS'd on its own down to {@link #FUSION_FLOOR} (so that a person just under the threshold in one view still
 * counts in the fusion), the mirrored view's boxes are mirrored back, the two lists are fused by
 * {@link BoxFusion}, and the score threshold applies to the fused scores. A fused detection's mask is the one of
 * its highest-scoring member, computed from that view's prototypes (and mirrored back when it is the mirrored
 * view's), cropped to the fused box.
 */
public final class YoloSegSegmenter implements PackagedSegmenter {
    /** Ultralytics' letterbox fill, as a fraction of 255. */
    public static final float PAD = 114f / 255f;
    /** With test-time augmentation, each view keeps candidates down to this score (or the threshold, if lower). */
    static final float FUSION_FLOOR = 0.01f;

    private final OnnxSession session;
    private final ModelMetadata meta;
    private final Preprocessor preprocessor;
    private final float scoreThreshold;
    private final TestTimeAugmentation augmentation;
    private StageTimes last = StageTimes.NONE;

    /** @param session an open session over a yolo-seg package; this segmenter closes it */
    public YoloSegSegmenter(OnnxSession session, ModelMetadata meta, double scoreThreshold) {
        this(session, meta, scoreThreshold, TestTimeAugmentation.NONE);
    }

    /** @param session an open session over a yolo-seg package; this segmenter closes it */
    public YoloSegSegmenter(OnnxSession session, ModelMetadata meta, double scoreThreshold,
                            TestTimeAugmentation augmentation) {
        this.session = session;
        this.meta = meta;
        this.preprocessor = new Preprocessor(Preprocessor.Mode.FIT_PAD, meta.inputWidth(), meta.inputHeight(),
                meta.mean(), meta.std(), 32);
        this.scoreThreshold = (float) scoreThreshold;
        this.augmentation = augmentation;
    }

    @Override
    public ModelMetadata metadata() {
        return meta;
    }

    /** The raw outputs of one network run over one view, and its NMS'd candidates in the plain view's frame. */
    private record View(float[] det, int anchors, float[] protos, long[] protoShape, boolean mirrored,
                        List<YoloSegDecoder.Candidate> kept) {
    }

    /** A detection chosen for output: corners in network pixels, and the view and anchor its mask comes from. */
    private record Pick(float x1, float y1, float x2, float y2, float score, int cls, View view, int anchor) {
    }

    @Override
    public Detections segment(BufferedImage image, String source) {
        long t0 = System.nanoTime();
        NetworkInput in = preprocessor.apply(ImageReader.toRgb(image));
        float[] chw = in.chw();
        fillPadding(chw, in);
        boolean flip = augmentation == TestTimeAugmentation.FLIP;
        float decodeThreshold = flip ? Math.min(scoreThreshold, FUSION_FLOOR) : scoreThreshold;
        long[] inference = new long[1];
        long t1 = System.nanoTime();
        List<Pick> picks = new ArrayList<>();
        View plain = run(chw, in, false, decodeThreshold, inference, source);
        if (!flip) {
            for (YoloSegDecoder.Candidate c : plain.kept()) {
                picks.add(new Pick(c.x1(), c.y1(), c.x2(), c.y2(), c.score(), c.cls(), plain, c.anchor()));
            }
        } else {
            View mirrored = run(mirror(chw, in), in, true, decodeThreshold, inference, source);
            for (BoxFusion.Fused f : BoxFusion.fuse(List.of(plain.kept(), mirrored.kept()), BoxFusion.IOU_THRESHOLD)) {
                if (!(f.score() > scoreThreshold) || picks.size() >= YoloSegDecoder.MAX_DETECTIONS) {
                    break;
                }
                BoxFusion.Member top = f.top();
                picks.add(new Pick(f.x1(), f.y1(), f.x2(), f.y2(), f.score(), f.cls(),
                        top.view() == 0 ? plain : mirrored, top.candidate().anchor()));
            }
        }
        List<Instance> instances = new ArrayList<>();
        double sx = in.scaleX(), sy = in.scaleY();
        int ow = in.originalWidth(), oh = in.originalHeight();
        for (Pick p : picks) {
            double bx1 = clamp(p.x1() * sx, ow), bx2 = clamp(p.x2() * sx, ow);
            double by1 = clamp(p.y1() * sy, oh), by2 = clamp(p.y2() * sy, oh);
            if (bx2 < bx1 || by2 < by1) {
                continue;
            }
            Box box = new Box(bx1, by1, bx2, by2);
            BitMask mask = p.view().protos() == null ? null : mask(p, box, in);
            instances.add(new Instance(box, p.score(), meta.categoryIds().get(p.cls()), meta.labels().get(p.cls()),
                    mask));
        }
        long t3 = System.nanoTime();
        last = new StageTimes(t1 - t0, inference[0], t3 - t1 - inference[0]);
        return new Detections(source, ow, oh, instances);
    }

    /**
     * Runs the network on one view and decodes it; a mirrored view's candidates are mirrored back into the plain
     * view's frame ({@code x -> resizedWidth - x}: the letterbox keeps the image at the left edge in both).
     */
    private View run(float[] chw, NetworkInput in, boolean mirrored, float threshold, long[] inference,
                     String source) {
        int w = in.paddedWidth(), h = in.paddedHeight();
        try (OnnxTensor img = OnnxTensor.createTensor(OnnxSession.environment(), FloatBuffer.wrap(chw),
                new long[] {1, 3, h, w})) {
            long t0 = System.nanoTime();
            try (OrtSession.Result r = session.run(Map.of("images", img))) {
                inference[0] += System.nanoTime() - t0;
                OnnxTensor detT = (OnnxTensor) r.get(YoloSegPackage.DETECTIONS).orElseThrow();
                int n = (int) detT.getInfo().getShape()[2];
                float[] det = OrtTensors.floats(detT);
                float[] protos = null;
                long[] ps = null;
                if (r.get(YoloSegPackage.PROTOS).isPresent()) {
                    OnnxTensor pt = (OnnxTensor) r.get(YoloSegPackage.PROTOS).get();
                    ps = pt.getInfo().getShape();
                    protos = OrtTensors.floats(pt);
                }
                List<YoloSegDecoder.Candidate> kept = YoloSegDecoder.nms(
                        YoloSegDecoder.decode(det, n, meta.labels().size(), w, h, threshold), YoloSegDecoder.NMS_IOU,
                        YoloSegDecoder.MAX_DETECTIONS);
                if (mirrored) {
                    float rw = in.resizedWidth();
                    List<YoloSegDecoder.Candidate> back = new ArrayList<>(kept.size());
                    for (YoloSegDecoder.Candidate c : kept) {
                        back.add(new YoloSegDecoder.Candidate(rw - c.x2(), c.y1(), rw - c.x1(), c.y2(), c.score(),
                                c.cls(), c.anchor()));
                    }
                    kept = back;
                }
                return new View(det, n, protos, ps, mirrored, kept);
            }
        } catch (OrtException e) {
            throw new IllegalStateException(source + ": inference failed: " + e.getMessage(), e);
        }
    }

    /** The pick's mask from its own view's prototypes and coefficients; a mirrored view's is mirrored back. */
    private BitMask mask(Pick p, Box box, NetworkInput in) {
        View v = p.view();
        int k = meta.labels().size();
        int m = (int) v.protoShape()[3], hp = (int) v.protoShape()[1], wp = (int) v.protoShape()[2];
        float[] coef = new float[m];
        for (int i = 0; i < m; i++) {
            coef[i] = v.det()[(4 + k + i) * v.anchors() + p.anchor()];
        }
        int ow = in.originalWidth(), oh = in.originalHeight();
        Box inView = v.mirrored() ? new Box(ow - box.x2(), box.y1(), ow - box.x1(), box.y2()) : box;
        BitMask mask = YoloSegDecoder.mask(v.protos(), hp, wp, m, coef, inView, 1 / in.scaleX(), 1 / in.scaleY(),
                (double) in.paddedWidth() / wp, (double) in.paddedHeight() / hp, ow, oh);
        return v.mirrored() ? mirrorMask(mask) : mask;
    }

    /** The letterboxed input mirrored left-right within the resized image; the padding stays on the right. */
    static float[] mirror(float[] chw, NetworkInput in) {
        int w = in.paddedWidth(), h = in.paddedHeight(), rw = in.resizedWidth();
        float[] out = chw.clone();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                int row = c * w * h + y * w;
                for (int x = 0; x < rw; x++) {
                    out[row + x] = chw[row + rw - 1 - x];
                }
            }
        }
        return out;
    }

    private static BitMask mirrorMask(BitMask mask) {
        int w = mask.width();
        byte[] px = mask.toArray();
        for (int row = 0; row < px.length; row += w) {
            for (int a = row, b = row + w - 1; a < b; a++, b--) {
                byte t = px[a];
                px[a] = px[b];
                px[b] = t;
            }
        }
        return new BitMask(w, mask.height(), px);
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
