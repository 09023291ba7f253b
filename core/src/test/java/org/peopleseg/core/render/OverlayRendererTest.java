package org.peopleseg.core.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.mask.BitMask;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.Instance;

class OverlayRendererTest {
    private static final int W = 200, H = 150;
    private static final int GREY = 0x808080;

    @TempDir
    Path dir;

    private static BufferedImage grey() {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                img.setRGB(x, y, GREY);
            }
        }
        return img;
    }

    private static Detections oneInstance(long trackId) {
        byte[] px = new byte[W * H];
        for (int y = 60; y < 120; y++) {
            for (int x = 80; x < 120; x++) {
                px[y * W + x] = 1;
            }
        }
        Instance inst = new Instance(new Box(78, 58, 122, 122), 0.934, 1, "person", new BitMask(W, H, px), trackId);
        return new Detections("synthetic", W, H, List.of(inst));
    }

    @Test
    void tintsTheMaskAndLeavesTheRestAlone() {
        BufferedImage src = grey();
        BufferedImage out = new OverlayRenderer().render(src, oneInstance(-1));
        int inside = out.getRGB(100, 90) & 0xffffff;
        assertNotEquals(GREY, inside, "mask pixel tinted");
        Color c = OverlayRenderer.colorOf(0, oneInstance(-1).instances().get(0));
        // 45 % of the instance colour over grey: each channel moves towards the colour
        int[] expected = {c.getRed(), c.getGreen(), c.getBlue()};
        int[] got = {(inside >> 16) & 0xff, (inside >> 8) & 0xff, inside & 0xff};
        for (int k = 0; k < 3; k++) {
            double blended = 0.45 * expected[k] + 0.55 * 0x80;
            assertEquals(blended, got[k], 2.0, "channel " + k);
        }
        for (int[] far : new int[][] {{5, 5}, {190, 140}, {10, 140}, {180, 100}}) {
            assertEquals(GREY, out.getRGB(far[0], far[1]) & 0xffffff, "far pixel " + far[0] + "," + far[1]);
        }
        assertEquals(GREY, src.getRGB(100, 90) & 0xffffff, "the input is not modified");
        // the box outline is drawn just outside the mask
        assertNotEquals(GREY, out.getRGB(78, 90) & 0xffffff);
    }

    @Test
    void labelShowsScoreAndTrackAndTheColourFollowsTheTrack() {
        Instance tracked = oneInstance(12).instances().get(0);
        assertEquals("person #12 0.93", OverlayRenderer.labelOf(tracked));
        assertEquals("person 0.93", OverlayRenderer.labelOf(oneInstance(-1).instances().get(0)));
        assertEquals(OverlayRenderer.colorOf(0, tracked), OverlayRenderer.colorOf(5, tracked));
        assertNotEquals(OverlayRenderer.colorOf(0, oneInstance(-1).instances().get(0)),
                OverlayRenderer.colorOf(1, oneInstance(-1).instances().get(0)));
        // the label tag sits above the box: some pixels there changed
        BufferedImage out = new OverlayRenderer().render(grey(), oneInstance(12));
        int changed = 0;
        for (int y = 35; y < 58; y++) {
            for (int x = 78; x < 160; x++) {
                changed += (out.getRGB(x, y) & 0xffffff) != GREY ? 1 : 0;
            }
        }
        assertTrue(changed > 100, "label tag drawn above the box: " + changed + " pixels");
    }

    @Test
    void rejectsDetectionsOfAnotherImageSize() {
        BufferedImage small = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
        assertThrows(IllegalArgumentException.class, () -> new OverlayRenderer().render(small, oneInstance(-1)));
    }

    @Test
    void writesPngAndJpegByExtension() throws IOException {
        BufferedImage out = new OverlayRenderer().render(grey(), oneInstance(3));
        Path png = dir.resolve("overlay.png"), jpg = dir.resolve("overlay.JPG");
        ImageWriter.write(out, png);
        ImageWriter.write(out, jpg);
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(out.getRGB(100, 90), back.getRGB(100, 90), "PNG is lossless");
        BufferedImage backJpg = ImageIO.read(jpg.toFile());
        assertEquals(W, backJpg.getWidth());
        assertEquals(H, backJpg.getHeight());
        assertThrows(IllegalArgumentException.class, () -> ImageWriter.write(out, dir.resolve("overlay.gif")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count());
        }
    }
}
