package org.peopleseg.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class PreprocessorTest {
    private static final double[] MEAN = {0.485, 0.456, 0.406};
    private static final double[] STD = {0.229, 0.224, 0.225};

    private static Preprocessor minMax(int maxSize, int minSize) {
        return new Preprocessor(Preprocessor.Mode.MIN_MAX, maxSize, minSize, MEAN, STD, 32);
    }

    @Test
    void minMaxSizesAreTorchvisions() {
        // Sizes torchvision 0.14's GeneralizedRCNNTransform produces (scale computed on float32 tensors, floor).
        assertArrayEquals(new int[] {768, 576}, minMax(960, 576).resizedSize(640, 480));
        assertArrayEquals(new int[] {768, 576}, minMax(768, 576).resizedSize(640, 480));
        assertArrayEquals(new int[] {576, 768}, minMax(960, 576).resizedSize(480, 640));
        assertArrayEquals(new int[] {863, 575}, minMax(960, 576).resizedSize(640, 427)); // float32: not 576
        assertArrayEquals(new int[] {960, 540}, minMax(960, 576).resizedSize(1920, 1080)); // capped by max_size
    }

    @Test
    void fitPadFillsTheCanvasAndPadsWithZeros() {
        Preprocessor p = new Preprocessor(Preprocessor.Mode.FIT_PAD, 960, 576, MEAN, STD, 32);
        assertArrayEquals(new int[] {863, 576}, p.resizedSize(640, 427));
        BufferedImage white = new BufferedImage(100, 50, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 50; y++) {
            for (int x = 0; x < 100; x++) {
                white.setRGB(x, y, 0xFFFFFF);
            }
        }
        NetworkInput in = p.apply(white);
        assertEquals(960, in.paddedWidth());
        assertEquals(576, in.paddedHeight());
        assertEquals(960, in.resizedWidth());
        assertEquals(480, in.resizedHeight());
        float red = (float) ((1 - 0.485f) / 0.229f);
        assertEquals(red, in.chw()[0], 1e-6f);                       // inside the image: normalised white
        assertEquals(0f, in.chw()[500 * 960 + 10], 0f);              // below it: zero padding
        assertEquals(100.0 / 960, in.scaleX(), 1e-6);               // network x back to original x
    }
}
