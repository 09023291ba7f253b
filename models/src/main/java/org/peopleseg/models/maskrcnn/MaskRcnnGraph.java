package org.peopleseg.models.maskrcnn;

import java.util.List;
import java.util.Map;
import org.peopleseg.runtime.onnx.GraphBuilder;
import org.peopleseg.runtime.onnx.Ops;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto.DataType;

/**
 * Builds the whole Mask R-CNN as one self-contained ONNX graph: backbone, FPN, RPN, proposal selection, RoIAlign,
 * box head with per-class NMS and mask head. Any ONNX runtime reproduces the detections from the file alone;
 * callers only resize/normalise the image and paste the masks.
 *
 * <p>Inputs: {@code image} [1, 3, H, W] normalised, H and W multiples of 32 (padding bottom/right is zero);
 * {@code image_size} [2] float (valid height, width before padding: boxes are clipped to it);
 * {@code score_threshold} [1] float (detections must score above it; the config's value is torchvision's 0.05). Outputs, in input pixels: {@code boxes} [D, 4]
 * (x1, y1, x2, y2), {@code scores} [D], {@code labels} [D] int64, {@code masks} [D, M, M] probabilities.
 */
public final class MaskRcnnGraph {
    public static final String IMAGE = "image";
    public static final String IMAGE_SIZE = "image_size";
    public static final String SCORE_THRESHOLD = "score_threshold";
    public static final String BOXES = "boxes";
    public static final String SCORES = "scores";
    public static final String LABELS = "labels";
    public static final String MASKS = "masks";
    /** Extra outputs of a {@code debug} graph, for parity tests: FPN levels and the proposals. */
    public static final String PROPOSALS = "proposals";

    public static String fpnOutput(int level) {
        return "fpn_p" + level;
    }

    private MaskRcnnGraph() {}

    /**
     * @param weights checked tensors by torchvision names (see {@link WeightLayout}, {@link StateDictImport})
     * @param debug   also output the FPN levels and the proposals
     */
    public static ModelProto build(MaskRcnnConfig config, Map<String, WeightTensor> weights, boolean debug,
                                   String producerVersion, Map<String, String> metadata) {
        GraphBuilder g = new GraphBuilder("maskrcnn_resnet" + config.backbone().depth() + "_fpn");
        Ops o = new Ops(g);
        GraphWeights w = new GraphWeights(g, weights);
        String image = g.input(IMAGE, DataType.FLOAT, new long[] {1, 3, -1, -1}, "height", "width");
        String size = g.input(IMAGE_SIZE, DataType.FLOAT, new long[] {2});
        // A required input rather than an overridable initializer: ONNX Runtime's Java API cannot feed the latter.
        String threshold = g.input(SCORE_THRESHOLD, DataType.FLOAT, new long[] {1});
        String imageH = o.squeeze(o.slice(size, 0, 1, 0), 0);
        String imageW = o.squeeze(o.slice(size, 1, 2, 0), 0);

        g.push("backbone");
        List<String> stages = new ResNetBackbone(config.backbone()).build(o, w, image);
        g.pop().push("fpn");
        List<String> levels = new FeaturePyramid(config.fpn()).build(o, w, stages);
        g.pop().push("rpn");
        String proposals = new RegionProposals(config).build(o, w, levels, imageH, imageW);
        g.pop().push("box_head");
        BoxHead.Detections dets = new BoxHead(config).build(o, w, levels, proposals, imageH, imageW, threshold);
        g.pop();

        g.output(g.named(dets.boxes(), BOXES), DataType.FLOAT, new long[] {-1, 4}, "detections");
        g.output(g.named(dets.scores(), SCORES), DataType.FLOAT, new long[] {-1}, "detections");
        g.output(g.named(dets.labels(), LABELS), DataType.INT64, new long[] {-1}, "detections");
        if (config.includeMask()) {
            g.push("mask_head");
            String masks = new MaskHead(config).build(o, w, levels, dets);
            g.pop();
            int m = config.maskHead().resolution();
            g.output(g.named(masks, MASKS), DataType.FLOAT, new long[] {-1, m, m}, "detections");
        }
        if (debug) {
            for (int i = 0; i < levels.size(); i++) {
                int level = config.fpn().minLevel() + i;
                g.output(g.named(levels.get(i), fpnOutput(level)), DataType.FLOAT,
                        new long[] {1, config.fpn().channels(), -1, -1}, "h" + level, "w" + level);
            }
            g.output(g.named(proposals, PROPOSALS), DataType.FLOAT, new long[] {-1, 4}, "proposals");
        }
        return g.build(producerVersion, metadata);
    }
}
