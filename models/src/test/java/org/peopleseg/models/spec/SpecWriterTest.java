package org.peopleseg.models.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peopleseg.models.spec.SpecTestSupport.card;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;

class SpecWriterTest {

    private static MaskRcnnConfig roundTrip(MaskRcnnConfig config) throws SpecException {
        return SpecResolver.resolve(SpecParser.parse(SpecWriter.render(config), "written.txt"));
    }

    @Test
    void cardConfigWritesAsPlainTaoAndReadsBackIdentically() throws Exception {
        MaskRcnnConfig c = SpecResolver.resolve(card());
        String text = SpecWriter.render(c);
        assertFalse(text.contains("peopleseg_config"), "TAO conventions need no extension:\n" + text);
        assertTrue(text.contains("aspect_ratios: \"[(1, 1), (1.4, 0.7), (0.7, 1.4)]\""), text);
        assertTrue(text.contains("image_size: \"(576, 960)\""), text);
        assertTrue(text.contains("include_mask: True"), text);
        assertTrue(text.indexOf("data_config {") < text.indexOf("maskrcnn_config {"), "TAO's section order:\n" + text);
        assertEquals(List.of(), ConfigDiff.differences(c, roundTrip(c)));
    }

    @Test
    void torchvisionPresetReadsBackIdentically() throws Exception {
        MaskRcnnConfig tv = TorchvisionPreset.maskrcnnResnet50Fpn(800, 1333, 91);
        String text = SpecWriter.render(tv);
        for (String line : new String[] {"anchor_center_offset: 0.0", "anchor_ratio_major: True", "anchor_round_base: True",
                "roi_sampling_ratio: 2", "roi_max_level: 5", "resize: MIN_MAX", "pixel_std: \"(0.229, 0.224, 0.225)\"",
                "image_size: \"(800, 1333)\"", "rpn_min_size: 0.001", "anchor_scale: 8"}) {
            assertTrue(text.contains(line), "expected '" + line + "' in:\n" + text);
        }
        assertFalse(text.contains("pixel_mean"), "ImageNet mean is TAO's too");
        assertEquals(List.of(), ConfigDiff.differences(tv, roundTrip(tv)));
    }

    @Test
    void unusualConfigsUseExtensionsAndStillRoundTrip() throws Exception {
        MaskRcnnConfig tv = TorchvisionPreset.maskrcnnResnet50Fpn(640, 960, 2);
        List<double[]> sizes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sizes.add(new double[] {20 << i, 30 << i});
        }
        var odd = new MaskRcnnConfig(new MaskRcnnConfig.Backbone(18), new MaskRcnnConfig.Fpn(2, 6, 128),
                new MaskRcnnConfig.Anchors(sizes, tv.anchors().aspectMultipliers(), false, 0.25, false),
                new MaskRcnnConfig.Rpn(500, 300, 0.6, 0.0, new double[] {2, 2, 1, 1}),
                new MaskRcnnConfig.RoiAlign(5, 0, true, 2, 5, 112, 3),
                new MaskRcnnConfig.BoxHead(512, new double[] {10, 20, 5, 6}, 0.0, 0.45, 50, 1.0),
                new MaskRcnnConfig.MaskHead(new MaskRcnnConfig.RoiAlign(10, 0, true, 2, 5, 112, 3), 2, 128),
                new MaskRcnnConfig.Input(640, 384, MaskRcnnConfig.Input.Resize.FIT_PAD, new double[] {0.5, 0.5, 0.5},
                        new double[] {0.25, 0.25, 0.25}),
                3);
        String text = SpecWriter.render(odd);
        assertTrue(text.contains("anchor_sizes: \"[(20, 30), (40, 60), (80, 120), (160, 240), (320, 480)]\""), text);
        assertTrue(text.contains("bbox_reg_weights: \"(20, 10, 6, 5)\""), "TAO's (y, x, h, w) order:\n" + text);
        assertEquals(List.of(), ConfigDiff.differences(odd, roundTrip(odd)));
    }

    @Test
    void inexpressibleConfigsAreRefusedWithAReason() {
        MaskRcnnConfig tv = TorchvisionPreset.maskrcnnResnet50Fpn(800, 1333, 91);
        var mismatchedRoi = new MaskRcnnConfig(tv.backbone(), tv.fpn(), tv.anchors(), tv.rpn(), tv.boxRoiAlign(), tv.boxHead(),
                new MaskRcnnConfig.MaskHead(new MaskRcnnConfig.RoiAlign(14, 0, false, 2, 5, 224, 4), 4, 256), tv.input(), 91);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpecWriter.render(mismatchedRoi));
        assertTrue(e.getMessage().contains("one RoIAlign setting for both heads"), e.getMessage());

        var oddSize = new MaskRcnnConfig(tv.backbone(), tv.fpn(), tv.anchors(), tv.rpn(), tv.boxRoiAlign(), tv.boxHead(),
                tv.maskHead(), new MaskRcnnConfig.Input(1000, 600, MaskRcnnConfig.Input.Resize.FIT_PAD, tv.input().mean(),
                tv.input().std()), 91);
        e = assertThrows(IllegalArgumentException.class, () -> SpecWriter.render(oddSize));
        assertTrue(e.getMessage().contains("not a multiple of the largest stride 64"), e.getMessage());

        var preciseNms = new MaskRcnnConfig(tv.backbone(), tv.fpn(), tv.anchors(), tv.rpn(), tv.boxRoiAlign(),
                new MaskRcnnConfig.BoxHead(1024, new double[] {10, 10, 5, 5}, 0.05, 0.123456789, 100, 0.01), tv.maskHead(),
                tv.input(), 91);
        e = assertThrows(IllegalArgumentException.class, () -> SpecWriter.render(preciseNms));
        assertTrue(e.getMessage().contains("test_nms 0.123456789 cannot be written exactly"), e.getMessage());
    }

    @Test
    void configDiffNamesWhatDiffers() {
        MaskRcnnConfig a = TorchvisionPreset.maskrcnnResnet50Fpn(800, 1333, 91);
        MaskRcnnConfig b = TorchvisionPreset.maskrcnnResnet50Fpn(800, 1333, 2);
        assertEquals(List.of(), ConfigDiff.differences(a, TorchvisionPreset.maskrcnnResnet50Fpn(800, 1333, 91)));
        assertEquals(List.of("numClasses: 91 vs 2"), ConfigDiff.differences(a, b));
    }
}
