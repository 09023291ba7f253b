package org.peopleseg.train.yolo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.peopleseg.core.dataset.CocoAnnotation;
import org.peopleseg.core.dataset.CocoBox;
import org.peopleseg.core.dataset.CocoSegmentation;
import org.peopleseg.train.yolo.loss.YoloTargets;

/**
 * Training windows cut from the deploy-size letterbox ({@code --crop-from}): on an image whose every pixel encodes
 * its own coordinates the window's offset is read back from the sample's pixels, independently of how it was drawn,
 * and each box must be the source box moved by exactly that offset, clipped to the window, or dropped by the
 * box_candidates rule; masks follow at prototype resolution; with a scaled, translated and flipped image the box
 * targets sit on the box's colour in the pixels; a seed gives the same sample; windows reach the canvas edges.
 */
class CropFromTest {
    private static final int W = 64, H = 48, CW = 160, CH = 96;

    /** Pixel (x, y) = rgb(x, y, 0): x, y < 256, so the colour names the pixel exactly. */
    private static BufferedImage coordinates(int w, int h) {
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                im.setRGB(x, y, (x << 16) | (y << 8));
            }
        }
        return im;
    }

    private static CocoAnnotation box(long id, double x, double y, double w, double h) {
        return new CocoAnnotation(id, 1, 1, new CocoBox(x, y, w, h), w * h, false, new CocoSegmentation.Polygons(
                List.<double[]>of(new double[] {x, y, x + w, y, x + w, y + h, x, y + h})));
    }

    private static int channel(float[] chw, int c, int x, int y) {
        return Math.round(chw[c * W * H + y * W + x] * 255);
    }

    @Test
    void boxesAndMasksMoveByTheWindowOffsetReadFromThePixels() throws Exception {
        // the image is the canvas' size: the letterbox is the identity and the sample is a pure window of it
        BufferedImage im = coordinates(CW, CH);
        List<CocoAnnotation> anns = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            anns.add(box(i + 1, 13 * i, 7 * (i % 8) + 2, 18, 30));
        }
        SampleBuilder b = new SampleBuilder(W, H, Augmentation.none().withCropFrom(CW, CH), Map.of(1, 0));
        java.util.Set<Integer> xs = new java.util.HashSet<>(), ys = new java.util.HashSet<>();
        Random seeds = new Random(1);   // not new Random(0..59): their first draws are nearly equal
        for (int n = 0; n < 60; n++) {
            long seed = seeds.nextLong();
            TrainingSample s = b.build("t", im, anns, true, new Random(seed));
            int ox = channel(s.chw(), 0, 0, 0), oy = channel(s.chw(), 1, 0, 0);
            xs.add(ox);
            ys.add(oy);
            assertTrue(ox >= 0 && ox <= CW - W && oy >= 0 && oy <= CH - H, "window inside the canvas");
            for (int y = 0; y < H; y += 5) {
                for (int x = 0; x < W; x += 5) {
                    assertEquals(x + ox, channel(s.chw(), 0, x, y), "a shift of the canvas, no resampling");
                    assertEquals(y + oy, channel(s.chw(), 1, x, y));
                }
            }
            // expected targets: every source box shifted by (-ox, -oy), clipped, kept by box_candidates' rule
            List<float[]> expected = new ArrayList<>();
            for (CocoAnnotation a : anns) {
                double x1 = a.bbox().x() - ox, y1 = a.bbox().y() - oy;
                double x2 = x1 + a.bbox().width(), y2 = y1 + a.bbox().height();
                double cx1 = Math.max(0, x1), cy1 = Math.max(0, y1), cx2 = Math.min(W, x2), cy2 = Math.min(H, y2);
                if (cx2 - cx1 > 2 && cy2 - cy1 > 2 && (cx2 - cx1) * (cy2 - cy1) >= 0.1 * (x2 - x1) * (y2 - y1)) {
                    expected.add(new float[] {(float) cx1, (float) cy1, (float) cx2, (float) cy2});
                }
            }
            YoloTargets t = s.targets();
            assertEquals(expected.size(), t.size(), "seed " + seed + ": kept boxes");
            for (int k = 0; k < t.size(); k++) {
                assertArrayEquals(expected.get(k), java.util.Arrays.copyOfRange(t.boxes(), 4 * k, 4 * k + 4), 1e-4f);
                // the mask: prototype pixel centres inside the window-frame box
                byte[] m = t.masks()[k];
                float[] e = expected.get(k);
                for (int r = 0; r < H / 4; r++) {
                    for (int q = 0; q < W / 4; q++) {
                        double cx = (q + 0.5) * 4, cy = (r + 0.5) * 4;
                        boolean in = cx > e[0] + 0.5 && cx < e[2] - 0.5 && cy > e[1] + 0.5 && cy < e[3] - 0.5;
                        boolean out = cx < e[0] - 0.5 || cx > e[2] + 0.5 || cy < e[1] - 0.5 || cy > e[3] + 0.5;
                        if (in) {
                            assertEquals(1, m[r * (W / 4) + q], "mask set inside box " + k);
                        } else if (out) {
                            assertEquals(0, m[r * (W / 4) + q], "mask clear outside box " + k);
                        }
                    }
                }
            }
        }
        // the clamped-centre draw reaches both ends of the canvas in both directions
        assertTrue(xs.contains(0) && xs.contains(CW - W), "x offsets " + xs);
        assertTrue(ys.contains(0) && ys.contains(CH - H), "y offsets " + ys);
        assertTrue(xs.size() > 10, "windows vary: " + xs);
    }

    @Test
    void scaledTranslatedFlippedBoxesSitOnTheirPixels() throws Exception {
        // a 2x image (letterbox factor 1/2) of grey with one red person-box; full augmentation in the canvas frame
        int w = 2 * CW, h = 2 * CH;
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean in = x >= 120 && x < 200 && y >= 40 && y < 150;
                im.setRGB(x, y, in ? 0xff0000 : 0x404040);
            }
        }
        Augmentation aug = new Augmentation(0.5, 0.5, 0.1, 0, 0, 0).withCropFrom(CW, CH);
        SampleBuilder b = new SampleBuilder(W, H, aug, Map.of(1, 0));
        int kept = 0;
        Random seeds = new Random(2);
        for (int n = 0; n < 80; n++) {
            long seed = seeds.nextLong();
            TrainingSample s = b.build("t", im, List.of(box(1, 120, 40, 80, 110)), false, new Random(seed));
            int x1 = W, y1 = H, x2 = -1, y2 = -1;
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    if (channel(s.chw(), 0, x, y) > 200 && channel(s.chw(), 1, x, y) < 50) {
                        x1 = Math.min(x1, x);
                        y1 = Math.min(y1, y);
                        x2 = Math.max(x2, x + 1);
                        y2 = Math.max(y2, y + 1);
                    }
                }
            }
            if (s.targets().size() == 1) {
                kept++;
                float[] t = s.targets().boxes();
                assertEquals(x1, t[0], 1.01, "seed " + seed + " x1");
                assertEquals(y1, t[1], 1.01, "seed " + seed + " y1");
                assertEquals(x2, t[2], 1.01, "seed " + seed + " x2");
                assertEquals(y2, t[3], 1.01, "seed " + seed + " y2");
            } else {
                // dropped: at most a sliver of the box is in the window
                int area = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
                assertTrue(x2 - x1 <= 3 || y2 - y1 <= 3 || area <= 0.1 * 80 * 110 * 0.25 * 2.25 + W + H,
                        "seed " + seed + ": dropped a box with " + area + " px visible");
            }
        }
        assertTrue(kept > 10 && kept < 80, "some windows show the person, some do not: " + kept);
    }

    @Test
    void aSeedGivesTheSameSampleAndCropsOffDrawsNothingExtra() throws Exception {
        BufferedImage im = coordinates(CW, CH);
        List<CocoAnnotation> anns = List.of(box(1, 30, 20, 40, 50));
        Augmentation aug = Augmentation.fixedCamera().withCropFrom(CW, CH);
        TrainingSample a = new SampleBuilder(W, H, aug, Map.of(1, 0)).build("a", im, anns, true, new Random(11));
        TrainingSample b = new SampleBuilder(W, H, aug, Map.of(1, 0)).build("a", im, anns, true, new Random(11));
        assertArrayEquals(a.chw(), b.chw());
        assertArrayEquals(a.targets().boxes(), b.targets().boxes());
        TrainingSample c = new SampleBuilder(W, H, aug, Map.of(1, 0)).build("a", im, anns, true, new Random(12));
        assertFalse(java.util.Arrays.equals(a.chw(), c.chw()), "another seed, another sample");
        // without crop-from the sample is the plain path's, draw for draw
        Augmentation plain = Augmentation.fixedCamera();
        assertEquals(plain, new Augmentation(0.5, 0.5, 0.1, 0.015, 0.7, 0.4, 0, 0, 0));
    }

    @Test
    void badCropSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SampleBuilder(W, H,
                Augmentation.none().withCropFrom(W - 1, CH), Map.of(1, 0)), "smaller than the input");
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, 0, 0, 0, 0, 0, 0.5, CW, CH),
                "with mosaic");
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, 0, 0, 0, 0, 0, 0, CW, 0));
    }
}
