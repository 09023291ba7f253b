package org.peopleseg.train.yolo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.peopleseg.core.dataset.CocoAnnotation;
import org.peopleseg.core.dataset.CocoBox;
import org.peopleseg.core.dataset.CocoSegmentation;
import org.peopleseg.train.yolo.loss.YoloTargets;

/**
 * The mosaic's geometry on four solid-colour images, each annotated with one box and one polygon mask covering the
 * whole image: the tiles meet at one centre, each box is exactly the visible part of its tile (filled with its
 * colour; outside them grey or a dropped sliver), masks follow the boxes at prototype resolution, and mosaic 0 draws nothing extra.
 */
class MosaicTest {
    private static final int W = 96, H = 64;
    private static final int[] COLOURS = {0xff0000, 0x00ff00, 0x0000ff, 0xffffff};

    private static BufferedImage solid(int rgb, int w, int h) {
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                im.setRGB(x, y, rgb);
            }
        }
        return im;
    }

    private static List<CocoAnnotation> whole(int w, int h) {
        return List.of(new CocoAnnotation(1, 1, 1, new CocoBox(0, 0, w, h), w * h, false,
                new CocoSegmentation.Polygons(List.<double[]>of(new double[] {0, 0, w, 0, w, h, 0, h}))));
    }

    private static SampleBuilder builder(double mosaic) {
        Augmentation aug = new Augmentation(0, 0, 0, 0, 0, 0, mosaic);
        // tiles 1..3 in turn: green, blue, white (each 2x the input, so fitting scales them by 1/2)
        int[] next = {0};
        return new SampleBuilder(W, H, aug, Map.of(1, 0), rnd -> {
            int i = 1 + next[0]++ % 3;
            return new SampleBuilder.Tile(solid(COLOURS[i], 2 * W, 2 * H), whole(2 * W, 2 * H));
        });
    }

    private static int colourAt(float[] chw, int x, int y) {
        int plane = W * H, i = y * W + x;
        return (Math.round(chw[i] * 255) << 16) | (Math.round(chw[plane + i] * 255) << 8)
                | Math.round(chw[2 * plane + i] * 255);
    }

    @Test
    void tilesMeetAtTheCentreAndBoxesAreTheirVisibleParts() throws Exception {
        for (long seed = 0; seed < 20; seed++) {
            TrainingSample s = builder(1).build("t", solid(COLOURS[0], W, H), whole(W, H), true, new Random(seed));
            YoloTargets t = s.targets();
            assertTrue(t.size() >= 1 && t.size() <= 4, "1..4 boxes, got " + t.size());
            for (int k = 0; k < t.size(); k++) {
                float x1 = t.boxes()[4 * k], y1 = t.boxes()[4 * k + 1], x2 = t.boxes()[4 * k + 2];
                float y2 = t.boxes()[4 * k + 3];
                assertTrue(x1 >= 0 && y1 >= 0 && x2 <= W && y2 <= H && x2 - x1 > 2 && y2 - y1 > 2);
                int c = colourAt(s.chw(), (int) ((x1 + x2) / 2), (int) ((y1 + y2) / 2));
                boolean known = false;
                for (int col : COLOURS) {
                    known |= col == c;
                }
                assertTrue(known, "box " + k + " centre has a tile's colour, got " + Integer.toHexString(c));
                // the mask is the box at prototype resolution: every prototype pixel centre inside the box is set
                byte[] m = t.masks()[k];
                int wp = W / 4;
                for (int r = 0; r < H / 4; r++) {
                    for (int q = 0; q < wp; q++) {
                        double cx = (q + 0.5) * 4, cy = (r + 0.5) * 4;
                        boolean in = cx > x1 + 0.5 && cx < x2 - 0.5 && cy > y1 + 0.5 && cy < y2 - 0.5;
                        boolean out = cx < x1 - 0.5 || cx > x2 + 0.5 || cy < y1 - 0.5 || cy > y2 + 0.5;
                        if (in) {
                            assertEquals(1, m[r * wp + q], "mask set inside box " + k);
                        } else if (out) {
                            assertEquals(0, m[r * wp + q], "mask clear outside box " + k);
                        }
                    }
                }
            }
            // with scale and translate 0 the output is the canvas centre: the four tiles' inner corners coincide
            if (t.size() == 4) {
                float[] b = t.boxes();
                assertEquals(b[2], b[4], 1.0, "top-left ends where top-right starts");
                assertEquals(b[3], b[4 * 2 + 1], 1.0, "top-left ends where bottom-left starts");
                assertEquals(b[4 * 3], b[4 * 2 + 2], 1.0, "bottom-right starts where bottom-left ends");
            }
            // outside every box: grey padding, or a sliver of a tile whose box was dropped (under 2 px or 10% left)
            java.util.Set<Integer> kept = new java.util.HashSet<>();
            for (int k = 0; k < t.size(); k++) {
                kept.add(colourAt(s.chw(), (int) ((t.boxes()[4 * k] + t.boxes()[4 * k + 2]) / 2),
                        (int) ((t.boxes()[4 * k + 1] + t.boxes()[4 * k + 3]) / 2)));
            }
            assertEquals(t.size(), kept.size(), "each box is a different tile");
            float pad = Letterbox.PAD;
            for (int y = 0; y < H; y += 3) {
                for (int x = 0; x < W; x += 3) {
                    boolean inAny = false;
                    for (int k = 0; k < t.size(); k++) {
                        inAny |= x + 0.5 >= t.boxes()[4 * k] - 1 && x + 0.5 <= t.boxes()[4 * k + 2] + 1
                                && y + 0.5 >= t.boxes()[4 * k + 1] - 1 && y + 0.5 <= t.boxes()[4 * k + 3] + 1;
                    }
                    if (!inAny && Math.abs(s.chw()[y * W + x] - pad) > 1e-6) {
                        int c = colourAt(s.chw(), x, y);
                        assertTrue(!kept.contains(c), "a kept tile's colour outside its box at " + x + "," + y);
                    }
                }
            }
        }
    }

    @Test
    void mosaicZeroIsThePlainLetterboxAndDrawsNoExtraRandomNumbers() throws Exception {
        Augmentation plain = new Augmentation(0.5, 0.5, 0.1, 0.015, 0.7, 0.4);
        Augmentation zero = new Augmentation(0.5, 0.5, 0.1, 0.015, 0.7, 0.4, 0);
        BufferedImage im = solid(0x336699, 2 * W, H);
        TrainingSample a = new SampleBuilder(W, H, plain, Map.of(1, 0)).build("a", im, whole(2 * W, H), true,
                new Random(7));
        TrainingSample b = new SampleBuilder(W, H, zero, Map.of(1, 0), rnd -> {
            throw new AssertionError("no tile is drawn at mosaic 0");
        }).build("b", im, whole(2 * W, H), true, new Random(7));
        assertArrayEquals(a.chw(), b.chw());
        assertArrayEquals(a.targets().boxes(), b.targets().boxes());
    }

    @Test
    void mosaicOutsideZeroOneIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Augmentation(0, 0, 0, 0, 0, 0, 1.5));
    }
}
