package org.peopleseg.models.maskrcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint adaptation without any graph: modern names pass untouched, pre-0.13 torchvision names are renamed,
 * batch-norm counters dropped, every missing / unexpected / mis-shaped tensor is reported by name and shape, and a
 * 91-class COCO predictor is cut to chosen classes row by row. Uses a small configuration (ResNet-10, 8 FPN
 * channels) so the tensors are tiny.
 */
class StateDictImportTest {

    /** A small Mask R-CNN: ResNet-10, FPN 2..6 of 8 channels, 16-wide box head, 2 mask convolutions of 8 channels. */
    static MaskRcnnConfig small(int numClasses) {
        MaskRcnnConfig tv = TestConfigs.torchvision(64, 64, 2);
        MaskRcnnConfig.RoiAlign box = tv.boxRoiAlign();
        MaskRcnnConfig.RoiAlign mask = tv.maskHead().roiAlign();
        return new MaskRcnnConfig(new MaskRcnnConfig.Backbone(10), new MaskRcnnConfig.Fpn(2, 6, 8), tv.anchors(), tv.rpn(),
                box, new MaskRcnnConfig.BoxHead(16, new double[] {10, 10, 5, 5}, 0.05, 0.5, 100, 1e-2),
                new MaskRcnnConfig.MaskHead(mask, 2, 8), tv.input(), numClasses);
    }

    /** Every tensor the configuration expects, each value its own flat index (so rows can be told apart). */
    static Map<String, WeightTensor> indexed(MaskRcnnConfig config) {
        Map<String, WeightTensor> sd = new LinkedHashMap<>();
        WeightLayout.expected(config).forEach((name, shape) -> {
            int n = 1;
            for (long d : shape) {
                n *= (int) d;
            }
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = i;
            }
            sd.put(name, new WeightTensor(shape, v));
        });
        return sd;
    }

    @Test
    void modernNamesPassAndCountersAreDropped() throws Exception {
        MaskRcnnConfig config = small(2);
        Map<String, WeightTensor> sd = new LinkedHashMap<>();
        for (var e : indexed(config).entrySet()) {
            sd.put(e.getKey(), e.getValue());
            if (e.getKey().endsWith(".running_var")) {
                String counter = e.getKey().replace(".running_var", ".num_batches_tracked");
                sd.put(counter, new WeightTensor(new long[0], new float[] {0}));
            }
        }
        assertTrue(sd.containsKey("backbone.body.bn1.num_batches_tracked"));
        Map<String, WeightTensor> out = StateDictImport.adapt(config, sd, null);
        assertEquals(new ArrayList<>(WeightLayout.expected(config).keySet()), new ArrayList<>(out.keySet()));
        for (var e : out.entrySet()) {
            assertSame(sd.get(e.getKey()), e.getValue(), e.getKey());
        }
    }

    @Test
    void legacyNamesAreRenamed() {
        assertEquals("backbone.fpn.inner_blocks.0.0.weight", StateDictImport.modernName("backbone.fpn.inner_blocks.0.weight"));
        assertEquals("backbone.fpn.layer_blocks.3.0.bias", StateDictImport.modernName("backbone.fpn.layer_blocks.3.bias"));
        assertEquals("rpn.head.conv.0.0.weight", StateDictImport.modernName("rpn.head.conv.weight"));
        assertEquals("rpn.head.conv.0.0.bias", StateDictImport.modernName("rpn.head.conv.bias"));
        assertEquals("roi_heads.mask_head.0.0.weight", StateDictImport.modernName("roi_heads.mask_head.mask_fcn1.weight"));
        assertEquals("roi_heads.mask_head.3.0.bias", StateDictImport.modernName("roi_heads.mask_head.mask_fcn4.bias"));
        // Modern names and names that merely look alike are left alone.
        for (String keep : List.of("backbone.fpn.inner_blocks.0.0.weight", "rpn.head.conv.0.0.weight",
                "roi_heads.mask_head.0.0.weight", "rpn.head.cls_logits.weight", "backbone.body.layer1.0.conv1.weight",
                "roi_heads.mask_predictor.mask_fcn_logits.weight", "roi_heads.box_head.fc6.weight")) {
            assertEquals(keep, StateDictImport.modernName(keep));
        }
    }

    @Test
    void legacyCheckpointAdaptsToModernNames() throws Exception {
        MaskRcnnConfig config = small(2);
        Map<String, WeightTensor> modern = indexed(config);
        Map<String, WeightTensor> legacy = new LinkedHashMap<>();
        for (var e : modern.entrySet()) {
            String k = e.getKey()
                    .replaceFirst("^(backbone\\.fpn\\.(inner|layer)_blocks\\.\\d+)\\.0\\.", "$1.")
                    .replaceFirst("^rpn\\.head\\.conv\\.0\\.0\\.", "rpn.head.conv.");
            var m = java.util.regex.Pattern.compile("^roi_heads\\.mask_head\\.(\\d+)\\.0\\.(.*)$").matcher(k);
            if (m.matches()) {
                k = "roi_heads.mask_head.mask_fcn" + (Integer.parseInt(m.group(1)) + 1) + "." + m.group(2);
            }
            legacy.put(k, e.getValue());
        }
        assertTrue(legacy.containsKey("backbone.fpn.inner_blocks.0.weight"));
        assertTrue(legacy.containsKey("rpn.head.conv.weight"));
        assertTrue(legacy.containsKey("roi_heads.mask_head.mask_fcn1.weight"));
        assertTrue(legacy.containsKey("roi_heads.mask_head.mask_fcn2.bias"));
        Map<String, WeightTensor> out = StateDictImport.adapt(config, legacy, null);
        assertEquals(modern.keySet(), out.keySet());
        for (var e : modern.entrySet()) {
            assertSame(e.getValue(), out.get(e.getKey()), e.getKey());
        }
    }

    @Test
    void everyProblemIsListedByNameAndShape() {
        MaskRcnnConfig config = small(2);
        Map<String, WeightTensor> sd = indexed(config);
        sd.remove("rpn.head.cls_logits.bias");
        sd.put("backbone.fpn.layer_blocks.1.0.weight", new WeightTensor(new long[] {8, 8, 1, 1}, new float[64]));
        sd.put("roi_heads.extra.weight", new WeightTensor(new long[] {2, 5}, new float[10]));
        var e = assertThrows(StateDictImport.MismatchException.class, () -> StateDictImport.adapt(config, sd, null));
        assertEquals(List.of(
                "wrong shape: backbone.fpn.layer_blocks.1.0.weight is [8, 8, 1, 1], expected [8, 8, 3, 3]",
                "missing: rpn.head.cls_logits.bias [3]",
                "unexpected: roi_heads.extra.weight [2, 5]"), e.problems());
        assertTrue(e.getMessage().startsWith("3 problem(s)"), e.getMessage());
    }

    @Test
    void cocoPredictorIsCutToChosenClasses() throws Exception {
        MaskRcnnConfig coco = small(91);
        MaskRcnnConfig people = small(2);
        Map<String, WeightTensor> sd = indexed(coco);
        int mlp = 16, maskCh = 8;

        // Without a cut, the six class-indexed tensors are the wrong shape, and all six are reported.
        var e = assertThrows(StateDictImport.MismatchException.class, () -> StateDictImport.adapt(people, sd, null));
        assertEquals(6, e.problems().size(), String.join("\n", e.problems()));
        assertTrue(e.problems().contains(
                "wrong shape: roi_heads.box_predictor.bbox_pred.weight is [364, 16], expected [8, 16]"), e.getMessage());

        Map<String, WeightTensor> out = StateDictImport.adapt(people, sd, new int[] {0, 1});
        // Class 1's box regression rows are 4..7 of the COCO tensor.
        assertRows(sd, out, "roi_heads.box_predictor.bbox_pred.weight", mlp, new int[] {0, 1, 2, 3, 4, 5, 6, 7});
        assertRows(sd, out, "roi_heads.box_predictor.bbox_pred.bias", 1, new int[] {0, 1, 2, 3, 4, 5, 6, 7});
        assertRows(sd, out, "roi_heads.box_predictor.cls_score.weight", mlp, new int[] {0, 1});
        assertRows(sd, out, "roi_heads.mask_predictor.mask_fcn_logits.weight", maskCh, new int[] {0, 1});

        // A class other than 1 shows the rows are really picked, not just the first ones kept.
        Map<String, WeightTensor> cut = StateDictImport.adapt(people, sd, new int[] {0, 3});
        assertRows(sd, cut, "roi_heads.box_predictor.bbox_pred.weight", mlp, new int[] {0, 1, 2, 3, 12, 13, 14, 15});
        assertRows(sd, cut, "roi_heads.box_predictor.bbox_pred.bias", 1, new int[] {0, 1, 2, 3, 12, 13, 14, 15});
        assertRows(sd, cut, "roi_heads.box_predictor.cls_score.weight", mlp, new int[] {0, 3});
        assertRows(sd, cut, "roi_heads.box_predictor.cls_score.bias", 1, new int[] {0, 3});
        assertRows(sd, cut, "roi_heads.mask_predictor.mask_fcn_logits.weight", maskCh, new int[] {0, 3});
        assertRows(sd, cut, "roi_heads.mask_predictor.mask_fcn_logits.bias", 1, new int[] {0, 3});
        assertArrayEquals(new long[] {2, 8, 1, 1}, cut.get("roi_heads.mask_predictor.mask_fcn_logits.weight").shape());
        // Everything else is untouched.
        assertSame(sd.get("roi_heads.box_head.fc6.weight"), cut.get("roi_heads.box_head.fc6.weight"));

        var bad = assertThrows(IllegalArgumentException.class, () -> StateDictImport.adapt(people, sd, new int[] {0, 91}));
        assertTrue(bad.getMessage().contains("91"), bad.getMessage());
    }

    /** Rows {@code rows} (each {@code rowLen} values) of the source tensor are, in order, the rows of the cut one. */
    private static void assertRows(Map<String, WeightTensor> src, Map<String, WeightTensor> cut, String name, int rowLen,
                                   int[] rows) {
        float[] from = src.get(name).values();
        float[] to = cut.get(name).values();
        assertEquals(rows.length * rowLen, to.length, name + " size");
        assertEquals(rows.length, cut.get(name).shape()[0], name + " rows");
        for (int i = 0; i < rows.length; i++) {
            assertArrayEquals(Arrays.copyOfRange(from, rows[i] * rowLen, (rows[i] + 1) * rowLen),
                    Arrays.copyOfRange(to, i * rowLen, (i + 1) * rowLen), name + " row " + i + " should be source row " + rows[i]);
        }
    }
}
