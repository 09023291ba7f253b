package org.peopleseg.models.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peopleseg.models.spec.SpecTestSupport.card;
import static org.peopleseg.models.spec.SpecTestSupport.cardText;
import static org.peopleseg.models.spec.SpecTestSupport.cardWith;

import org.junit.jupiter.api.Test;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;

class SpecResolverTest {

    @Test
    void cardResolvesToPeopleSegNet() throws Exception {
        MaskRcnnConfig c = SpecResolver.resolve(card());

        assertEquals(50, c.backbone().depth());
        assertEquals(2, c.numClasses());

        assertEquals(2, c.fpn().minLevel());
        assertEquals(6, c.fpn().maxLevel());
        assertEquals(256, c.fpn().channels());

        MaskRcnnConfig.Anchors a = c.anchors();
        assertEquals(5, a.sizesPerLevel().size());
        double[] expected = {32, 64, 128, 256, 512}; // anchor_scale 8 * 2^level, one scale
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(new double[] {expected[i]}, a.sizesPerLevel().get(i), "level " + (i + 2));
        }
        assertEquals(3, a.aspectMultipliers().size());
        assertArrayEquals(new double[] {1.0, 1.0}, a.aspectMultipliers().get(0));
        assertArrayEquals(new double[] {1.4, 0.7}, a.aspectMultipliers().get(1), "(width, height) as TAO's anchor generator");
        assertArrayEquals(new double[] {0.7, 1.4}, a.aspectMultipliers().get(2));
        assertFalse(a.ratioMajor());
        assertEquals(0.5, a.centerOffset());
        assertFalse(a.roundBase());
        assertEquals(3, a.perCell());

        MaskRcnnConfig.Rpn rpn = c.rpn();
        assertEquals(1000, rpn.preNmsTopN());
        assertEquals(1000, rpn.postNmsTopN());
        assertEquals(0.7, rpn.nmsThreshold(), "the decimal written, not the float 0.699999988");
        assertEquals(0.0, rpn.minSize());
        assertArrayEquals(new double[] {1, 1, 1, 1}, rpn.boxWeights());

        assertEquals(new MaskRcnnConfig.RoiAlign(7, 1, false, 2, 6, 224, 4), c.boxRoiAlign(), "TAO's multilevel crop-and-resize");

        MaskRcnnConfig.BoxHead b = c.boxHead();
        assertEquals(1024, b.mlpDim());
        assertArrayEquals(new double[] {10, 10, 5, 5}, b.boxWeights());
        assertEquals(0.05, b.scoreThreshold());
        assertEquals(0.5, b.nmsThreshold());
        assertEquals(100, b.detectionsPerImage());
        assertEquals(0.01, b.minSize());

        assertTrue(c.includeMask());
        assertEquals(new MaskRcnnConfig.RoiAlign(14, 1, false, 2, 6, 224, 4), c.maskHead().roiAlign());
        assertEquals(28, c.maskHead().resolution());
        assertEquals(4, c.maskHead().convs());
        assertEquals(256, c.maskHead().channels());

        MaskRcnnConfig.Input in = c.input();
        assertEquals(960, in.width());
        assertEquals(576, in.height());
        assertEquals(MaskRcnnConfig.Input.Resize.FIT_PAD, in.resize());
        assertArrayEquals(new double[] {0.485, 0.456, 0.406}, in.mean());
        assertArrayEquals(new double[] {0.224, 0.224, 0.224}, in.std(), "TAO divides every channel by 0.224");
    }

    @Test
    void multipleScalesFollowTaosOctaves() throws Exception {
        MaskRcnnConfig c = SpecResolver.resolve(SpecParser.parse(cardWith("num_scales: 1", "num_scales: 2"), "s.txt"));
        double[] p2 = c.anchors().sizesPerLevel().get(0);
        assertEquals(2, p2.length);
        assertEquals(32.0, p2[0]);
        assertEquals(32 * Math.sqrt(2), p2[1], 1e-12);
        assertEquals(6, c.anchors().perCell());
    }

    @Test
    void bboxWeightsAreReorderedFromTaosYxhwToXywh() throws Exception {
        MaskRcnnConfig c = SpecResolver.resolve(SpecParser.parse(
                cardWith("\"(10., 10., 5., 5.)\"", "\"(10., 20., 5., 6.)\""), "w.txt"));
        assertArrayEquals(new double[] {20, 10, 6, 5}, c.boxHead().boxWeights());
    }

    @Test
    void withoutMaskThereIsNoMaskHead() throws Exception {
        MaskRcnnConfig c = SpecResolver.resolve(SpecParser.parse(cardWith("include_mask: True", "include_mask: False"), "b.txt"));
        assertNull(c.maskHead());
        assertFalse(c.includeMask());
    }

    @Test
    void peoplesegConfigOverridesEveryConvention() throws Exception {
        String text = cardText() + """
                peopleseg_config {
                  anchor_center_offset: 0
                  anchor_ratio_major: True
                  anchor_round_base: True
                  anchor_sizes: "[(16, 24), (32, 48), (64, 96), (128, 192), (256, 384)]"
                  rpn_box_weights: "(2, 2, 1, 1)"
                  box_roi_size: 14
                  roi_sampling_ratio: 0
                  roi_aligned: True
                  roi_min_level: 3
                  roi_max_level: 5
                  roi_canonical_scale: 112
                  roi_canonical_level: 3
                  box_score_threshold: 0
                  box_min_size: 2.5
                  mask_head_convs: 2
                  mask_head_channels: 128
                  fpn_channels: 128
                  resize: MIN_MAX
                  pixel_mean: "(0.5, 0.5, 0.5)"
                  pixel_std: "(0.25, 0.25, 0.25)"
                }
                """;
        MaskRcnnConfig c = SpecResolver.resolve(SpecParser.parse(text, "ext.txt"));
        assertEquals(0.0, c.anchors().centerOffset(), "an explicit 0 is not 'absent' (proto3 optional)");
        assertTrue(c.anchors().ratioMajor());
        assertTrue(c.anchors().roundBase());
        assertArrayEquals(new double[] {16, 24}, c.anchors().sizesPerLevel().get(0));
        assertArrayEquals(new double[] {2, 2, 1, 1}, c.rpn().boxWeights());
        assertEquals(new MaskRcnnConfig.RoiAlign(14, 0, true, 3, 5, 112, 3), c.boxRoiAlign());
        assertEquals(new MaskRcnnConfig.RoiAlign(14, 0, true, 3, 5, 112, 3), c.maskHead().roiAlign());
        assertEquals(0.0, c.boxHead().scoreThreshold());
        assertEquals(2.5, c.boxHead().minSize());
        assertEquals(2, c.maskHead().convs());
        assertEquals(128, c.maskHead().channels());
        assertEquals(128, c.fpn().channels());
        assertEquals(MaskRcnnConfig.Input.Resize.MIN_MAX, c.input().resize());
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, c.input().mean());
        assertArrayEquals(new double[] {0.25, 0.25, 0.25}, c.input().std());
    }

    @Test
    void extensionValuesAreValidated() {
        String text = cardText() + """
                peopleseg_config {
                  anchor_center_offset: 1.5
                  anchor_sizes: "[32, 64]"
                  roi_max_level: 7
                  pixel_std: "(0.2, 0, 0.2)"
                }
                """;
        SpecException e = SpecTestSupport.failure(text);
        String msg = e.getMessage();
        assertTrue(msg.contains("anchor_center_offset must be in [0, 1]"), msg);
        assertTrue(msg.contains("anchor_sizes lists 2 levels but min_level..max_level has 5"), msg);
        assertTrue(msg.contains("RoIAlign levels 2..7 must lie within the pyramid levels 2..6"), msg);
        assertTrue(msg.contains("pixel_std values must be positive, got 0"), msg);
    }
}
