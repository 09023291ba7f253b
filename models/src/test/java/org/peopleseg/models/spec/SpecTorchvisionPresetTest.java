package org.peopleseg.models.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;

class SpecTorchvisionPresetTest {

    @Test
    void matchesTorchvisionMaskrcnnResnet50Fpn() {
        MaskRcnnConfig c = TorchvisionPreset.maskrcnnResnet50Fpn(800, 1333, 91);
        assertEquals(50, c.backbone().depth());
        assertEquals(new MaskRcnnConfig.Fpn(2, 6, 256), c.fpn());

        MaskRcnnConfig.Anchors a = c.anchors();
        double[] sizes = {32, 64, 128, 256, 512};
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(new double[] {sizes[i]}, a.sizesPerLevel().get(i));
        }
        // aspect ratio r = h / w -> (1 / sqrt(r), sqrt(r)), in torchvision's order 0.5, 1, 2
        assertArrayEquals(new double[] {Math.sqrt(2), Math.sqrt(0.5)}, a.aspectMultipliers().get(0), 1e-15);
        assertArrayEquals(new double[] {1, 1}, a.aspectMultipliers().get(1));
        assertArrayEquals(new double[] {Math.sqrt(0.5), Math.sqrt(2)}, a.aspectMultipliers().get(2), 1e-15);
        for (double[] wh : a.aspectMultipliers()) {
            assertEquals(1.0, wh[0] * wh[1], 1e-15, "area preserved");
        }
        assertTrue(a.ratioMajor());
        assertEquals(0.0, a.centerOffset());
        assertTrue(a.roundBase());

        assertEquals(1000, c.rpn().preNmsTopN());
        assertEquals(1000, c.rpn().postNmsTopN());
        assertEquals(0.7, c.rpn().nmsThreshold());
        assertEquals(1e-3, c.rpn().minSize());
        assertArrayEquals(new double[] {1, 1, 1, 1}, c.rpn().boxWeights());

        assertEquals(new MaskRcnnConfig.RoiAlign(7, 2, false, 2, 5, 224, 4), c.boxRoiAlign());
        assertEquals(1024, c.boxHead().mlpDim());
        assertArrayEquals(new double[] {10, 10, 5, 5}, c.boxHead().boxWeights());
        assertEquals(0.05, c.boxHead().scoreThreshold());
        assertEquals(0.5, c.boxHead().nmsThreshold());
        assertEquals(100, c.boxHead().detectionsPerImage());
        assertEquals(1e-2, c.boxHead().minSize());

        assertEquals(new MaskRcnnConfig.RoiAlign(14, 2, false, 2, 5, 224, 4), c.maskHead().roiAlign());
        assertEquals(4, c.maskHead().convs());
        assertEquals(256, c.maskHead().channels());
        assertEquals(28, c.maskHead().resolution());

        assertEquals(1333, c.input().width());
        assertEquals(800, c.input().height());
        assertEquals(MaskRcnnConfig.Input.Resize.MIN_MAX, c.input().resize());
        assertArrayEquals(new double[] {0.485, 0.456, 0.406}, c.input().mean());
        assertArrayEquals(new double[] {0.229, 0.224, 0.225}, c.input().std());
        assertEquals(91, c.numClasses());
    }
}
