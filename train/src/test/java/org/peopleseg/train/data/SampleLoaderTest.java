package org.peopleseg.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.core.dataset.CocoAnnotation;
import org.peopleseg.core.dataset.CocoBox;
import org.peopleseg.core.dataset.CocoImage;
import org.peopleseg.core.dataset.CocoSegmentation;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;

class SampleLoaderTest {
    static final double[] MEAN = {0.485, 0.456, 0.406};
    static final double[] STD = {0.224, 0.224, 0.224};

    /** A 200x100 photo with a white 40x60 rectangle at (20, 30), annotated with box and polygon. */
    static TrainingImage image(Path dir, boolean mask) throws Exception {
        BufferedImage img = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(20, 30, 40, 60);
        g.dispose();
        Path file = dir.resolve("a.png");
        ImageIO.write(img, "png", file.toFile());
        CocoSegmentation seg = mask ? new CocoSegmentation.Polygons(List.of(new double[] {20, 30, 60, 30, 60, 90, 20, 90}))
                : null;
        CocoAnnotation a = new CocoAnnotation(1, 1, 1, new CocoBox(20, 30, 40, 60), 2400, false, seg);
        return new TrainingImage(new CocoImage(1, "a.png", 200, 100), file, List.of(a), new int[] {1});
    }

    @Test
    void fitAndPadScalesBoxesAndMasksWithThePixels(@TempDir Path tmp) throws Exception {
        // a 200x100 image on a 128x128 canvas: scale 0.64, resized 128x64, padded below
        var loader = new SampleLoader(new MaskRcnnConfig.Input(128, 128, MaskRcnnConfig.Input.Resize.FIT_PAD, MEAN, STD), true);
        Sample s = loader.load(image(tmp, true), false);
        assertEquals(128, s.width());
        assertEquals(128, s.height());
        assertEquals(128, s.resizedWidth());
        assertEquals(64, s.resizedHeight());
        assertArrayEquals(new float[] {12.8f, 19.2f, 38.4f, 57.6f}, s.targets().boxesXyxy().get(0), 1e-4f);
        byte[] m = s.targets().masks().get(0);
        assertEquals(128 * 128, m.length);
        assertEquals(1, m[30 * 128 + 25]);   // inside
        assertEquals(0, m[30 * 128 + 45]);   // right of it
        assertEquals(0, m[100 * 128 + 25]);  // padding
        // pixels: padding is 0 after normalisation is not applied to it (zeros), the rectangle is bright
        assertEquals(0f, s.chw()[100 * 128 + 25]);
        assertTrue(s.chw()[30 * 128 + 25] > 2f);
    }

    @Test
    void theFlipMirrorsPixelsBoxesAndMasksInsideTheResizedImage(@TempDir Path tmp) throws Exception {
        var loader = new SampleLoader(new MaskRcnnConfig.Input(128, 128, MaskRcnnConfig.Input.Resize.FIT_PAD, MEAN, STD), true);
        TrainingImage img = image(tmp, true);
        Sample a = loader.load(img, false);
        Sample b = loader.load(img, true);
        float[] box = b.targets().boxesXyxy().get(0);
        assertArrayEquals(new float[] {128 - 38.4f, 19.2f, 128 - 12.8f, 57.6f}, box, 1e-4f);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 128; x++) {
                    assertEquals(a.chw()[(c * 128 + y) * 128 + x], b.chw()[(c * 128 + y) * 128 + 127 - x], 0f);
                }
            }
        }
        byte[] ma = a.targets().masks().get(0);
        byte[] mb = b.targets().masks().get(0);
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                assertEquals(ma[y * 128 + x], mb[y * 128 + 127 - x]);
            }
        }
    }

    @Test
    void minMaxResizesTheShorterSideAndPadsToMultiplesOf32(@TempDir Path tmp) throws Exception {
        // torchvision min_size 64, max_size 256: the shorter side to 64; the scale 64/100 is float32 in torchvision,
        // so 200 * 0.64f floors to 127 columns and 100 * 0.64f to 63 rows (as the package's preprocessing); the canvas pads to 128x64
        var loader = new SampleLoader(new MaskRcnnConfig.Input(256, 64, MaskRcnnConfig.Input.Resize.MIN_MAX, MEAN, STD), true);
        Sample s = loader.load(image(tmp, true), false);
        assertEquals(127, s.resizedWidth());
        assertEquals(63, s.resizedHeight()); // 100 * 0.64f floors to 63 too
        assertEquals(128, s.width());
        assertEquals(64, s.height());
    }

    @Test
    void boxOnlyDataHasNoMasks(@TempDir Path tmp) throws Exception {
        var loader = new SampleLoader(new MaskRcnnConfig.Input(128, 128, MaskRcnnConfig.Input.Resize.FIT_PAD, MEAN, STD), true);
        Sample s = loader.load(image(tmp, false), false);
        assertNull(s.targets().masks());
        assertFalse(s.targets().hasMasks());
        assertEquals(1, s.targets().size());
    }

    @Test
    void theDataOrderIsAFunctionOfSeedAndPosition() {
        DataOrder a = new DataOrder(7, 10, true);
        DataOrder b = new DataOrder(7, 10, true);
        int[] seen = new int[10];
        for (int p = 0; p < 10; p++) {
            seen[a.imageAt(p)]++;
        }
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, seen, "an epoch visits every image once");
        for (long p = 35; p >= 0; p--) { // any access order
            assertEquals(a.imageAt(p), b.imageAt(p));
            assertEquals(a.flipAt(p), b.flipAt(p));
        }
        assertNotEquals(java.util.Arrays.toString(a.permutation(0)), java.util.Arrays.toString(a.permutation(1)));
        assertFalse(new DataOrder(7, 10, false).flipAt(3));
    }
}
