package org.peopleseg.train.net.maskrcnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * TAO's mask-target rule on its own (crop the GT mask to its box at gt_mask_size, project the RoI, sample per bin,
 * binarise), and its agreement with torchvision's rule where both are exact.
 */
class MaskTargetsTest {
    private static final int H = 100, W = 120;

    @Test
    void taoTargetsOfTheGtBoxItselfReproduceTheMask() {
        byte[] mask = new byte[H * W];
        float[] gt = {20, 10, 80, 90};
        // left half of the box filled
        for (int y = 10; y < 90; y++) {
            for (int x = 20; x < 50; x++) {
                mask[y * W + x] = 1;
            }
        }
        float[] out = new float[28 * 28];
        MaskTargets.tao(mask, H, W, gt, 0, gt, 0, 28, 112, out, 0);
        for (int i = 0; i < 28; i++) {
            for (int j = 0; j < 28; j++) {
                float v = out[i * 28 + j];
                assertTrue(v == 0f || v == 1f, "binary");
                if (j < 13) {
                    assertEquals(1f, v, "left half at " + i + "," + j);
                } else if (j > 14) {
                    assertEquals(0f, v, "right half at " + i + "," + j);
                }
            }
        }
    }

    @Test
    void taoAndTorchvisionAgreeOnAnEllipse() {
        byte[] mask = new byte[H * W];
        float[] gt = {30, 20, 90, 80};
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                float dx = (x + 0.5f - 60) / 30, dy = (y + 0.5f - 50) / 30;
                if (dx * dx + dy * dy <= 1) {
                    mask[y * W + x] = 1;
                }
            }
        }
        float[] roi = {35, 15, 85, 75}; // a positive proposal, shifted against the GT box
        float[] tao = new float[28 * 28];
        float[] tv = new float[28 * 28];
        MaskTargets.tao(mask, H, W, gt, 0, roi, 0, 28, 112, tao, 0);
        MaskTargets.torchvision(mask, H, W, roi, 0, 28, tv, 0);
        int agree = 0;
        for (int i = 0; i < tv.length; i++) {
            assertTrue(tv[i] >= 0 && tv[i] <= 1.0001f);
            agree += (tv[i] >= 0.5f ? 1f : 0f) == tao[i] ? 1 : 0;
        }
        double frac = agree / (double) tv.length;
        System.out.printf("TAO vs torchvision mask targets: %.1f%% of bins agree after binarising%n", 100 * frac);
        assertTrue(frac > 0.97, "agreement " + frac);
    }
}
