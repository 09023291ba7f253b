package org.peopleseg.models.maskrcnn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors a Mask R-CNN of a given configuration needs, by torchvision's state_dict names (0.13+ naming) and
 * shapes. A checkpoint is checked against this before anything is built, so a wrong file is reported as a list of
 * missing, unexpected and mis-shaped tensors rather than a failure deep inside the graph.
 */
public final class WeightLayout {
    private WeightLayout() {}

    /** Name -> shape, in the order torchvision's state_dict lists them. Batch-norm statistics included. */
    public static Map<String, long[]> expected(MaskRcnnConfig config) {
        Map<String, long[]> m = new LinkedHashMap<>();
        MaskRcnnConfig.Backbone bb = config.backbone();
        String b = "backbone.body.";
        m.put(b + "conv1.weight", new long[] {64, 3, 7, 7});
        batchNorm(m, b + "bn1", 64);
        int[] blocks = bb.blocksPerStage();
        int inCh = 64;
        for (int stage = 0; stage < 4; stage++) {
            int out = bb.stageChannels(stage);
            int width = 64 << stage;
            for (int i = 0; i < blocks[stage]; i++) {
                String p = b + "layer" + (stage + 1) + "." + i + ".";
                boolean down = i == 0 && (stage > 0 || inCh != out);
                if (bb.bottleneck()) {
                    m.put(p + "conv1.weight", new long[] {width, inCh, 1, 1});
                    batchNorm(m, p + "bn1", width);
                    m.put(p + "conv2.weight", new long[] {width, width, 3, 3});
                    batchNorm(m, p + "bn2", width);
                    m.put(p + "conv3.weight", new long[] {out, width, 1, 1});
                    batchNorm(m, p + "bn3", out);
                } else {
                    m.put(p + "conv1.weight", new long[] {out, inCh, 3, 3});
                    batchNorm(m, p + "bn1", out);
                    m.put(p + "conv2.weight", new long[] {out, out, 3, 3});
                    batchNorm(m, p + "bn2", out);
                }
                if (down) {
                    m.put(p + "downsample.0.weight", new long[] {out, inCh, 1, 1});
                    batchNorm(m, p + "downsample.1", out);
                }
                inCh = out;
            }
        }
        MaskRcnnConfig.Fpn fpn = config.fpn();
        int c = fpn.channels();
        int inputs = fpnInputs(config);
        for (int i = 0; i < inputs; i++) {
            int stage = fpn.minLevel() - 2 + i;
            m.put("backbone.fpn.inner_blocks." + i + ".0.weight", new long[] {c, bb.stageChannels(stage), 1, 1});
            m.put("backbone.fpn.inner_blocks." + i + ".0.bias", new long[] {c});
        }
        for (int i = 0; i < inputs; i++) {
            m.put("backbone.fpn.layer_blocks." + i + ".0.weight", new long[] {c, c, 3, 3});
            m.put("backbone.fpn.layer_blocks." + i + ".0.bias", new long[] {c});
        }
        int a = config.anchors().perCell();
        m.put("rpn.head.conv.0.0.weight", new long[] {c, c, 3, 3});
        m.put("rpn.head.conv.0.0.bias", new long[] {c});
        m.put("rpn.head.cls_logits.weight", new long[] {a, c, 1, 1});
        m.put("rpn.head.cls_logits.bias", new long[] {a});
        m.put("rpn.head.bbox_pred.weight", new long[] {4L * a, c, 1, 1});
        m.put("rpn.head.bbox_pred.bias", new long[] {4L * a});
        int roi = config.boxRoiAlign().outputSize();
        int mlp = config.boxHead().mlpDim();
        int k = config.numClasses();
        m.put("roi_heads.box_head.fc6.weight", new long[] {mlp, (long) c * roi * roi});
        m.put("roi_heads.box_head.fc6.bias", new long[] {mlp});
        m.put("roi_heads.box_head.fc7.weight", new long[] {mlp, mlp});
        m.put("roi_heads.box_head.fc7.bias", new long[] {mlp});
        m.put("roi_heads.box_predictor.cls_score.weight", new long[] {k, mlp});
        m.put("roi_heads.box_predictor.cls_score.bias", new long[] {k});
        m.put("roi_heads.box_predictor.bbox_pred.weight", new long[] {4L * k, mlp});
        m.put("roi_heads.box_predictor.bbox_pred.bias", new long[] {4L * k});
        if (config.includeMask()) {
            MaskRcnnConfig.MaskHead mh = config.maskHead();
            int ch = c;
            for (int i = 0; i < mh.convs(); i++) {
                m.put("roi_heads.mask_head." + i + ".0.weight", new long[] {mh.channels(), ch, 3, 3});
                m.put("roi_heads.mask_head." + i + ".0.bias", new long[] {mh.channels()});
                ch = mh.channels();
            }
            m.put("roi_heads.mask_predictor.conv5_mask.weight", new long[] {ch, mh.channels(), 2, 2});
            m.put("roi_heads.mask_predictor.conv5_mask.bias", new long[] {mh.channels()});
            m.put("roi_heads.mask_predictor.mask_fcn_logits.weight", new long[] {k, mh.channels(), 1, 1});
            m.put("roi_heads.mask_predictor.mask_fcn_logits.bias", new long[] {k});
        }
        return m;
    }

    /** The FPN takes backbone stages C_minLevel..C5. */
    static int fpnInputs(MaskRcnnConfig config) {
        return 5 - config.fpn().minLevel() + 1;
    }

    private static void batchNorm(Map<String, long[]> m, String prefix, int ch) {
        for (String s : new String[] {"weight", "bias", "running_mean", "running_var"}) {
            m.put(prefix + "." + s, new long[] {ch});
        }
    }
}
