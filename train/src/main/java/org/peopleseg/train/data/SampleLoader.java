package org.peopleseg.train.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.peopleseg.core.dataset.CocoAnnotation;
import org.peopleseg.core.dataset.CocoSegmentation;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.image.NetworkInput;
import org.peopleseg.core.image.Preprocessor;
import org.peopleseg.core.mask.BitMask;
import org.peopleseg.core.mask.Rle;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.train.net.ImageTargets;

/**
 * Turns a training image into a {@link Sample} with exactly the preprocessing the ONNX package applies at inference
 * ({@link Preprocessor}: TAO's fit-and-pad canvas or torchvision's min/max resize), so the network trains on what
 * it will see.
 *
 * <p>Boxes are scaled by the same factor as the pixels ({@link NetworkInput#scaleX()}). Polygon masks are rasterised
 * directly at canvas resolution from scaled vertices (sharper than resizing a bitmap); RLE masks are decoded at
 * image resolution and sampled nearest-neighbour onto the canvas. The horizontal flip
 * ({@code augment_input_data}) mirrors the resized image inside the canvas: bilinear resizing with half-pixel
 * centres is symmetric, so this equals TAO's flip-then-resize.
 */
public final class SampleLoader {
    private final Preprocessor preprocessor;
    private final boolean masks;

    public SampleLoader(MaskRcnnConfig.Input input, boolean includeMask) {
        this.preprocessor = new Preprocessor(
                input.resize() == MaskRcnnConfig.Input.Resize.MIN_MAX ? Preprocessor.Mode.MIN_MAX : Preprocessor.Mode.FIT_PAD,
                input.width(), input.height(), input.mean(), input.std(), 32);
        this.masks = includeMask;
    }

    public Sample load(TrainingImage image, boolean flip) throws IOException {
        BufferedImage pixels = ImageReader.read(image.file());
        NetworkInput in = preprocessor.apply(pixels);
        int w = in.paddedWidth();
        int h = in.paddedHeight();
        int rw = in.resizedWidth();
        int rh = in.resizedHeight();
        double sx = in.scaleX();
        double sy = in.scaleY();
        float[] chw = in.chw();
        if (flip) {
            flipChw(chw, w, h, rw, rh);
        }
        List<float[]> boxes = new ArrayList<>();
        List<byte[]> bitmaps = new ArrayList<>();
        boolean allMasks = masks && !image.annotations().isEmpty();
        for (CocoAnnotation a : image.annotations()) {
            allMasks &= a.hasSegmentation();
        }
        for (CocoAnnotation a : image.annotations()) {
            double x1 = Math.max(0, a.bbox().x()) / sx;
            double y1 = Math.max(0, a.bbox().y()) / sy;
            double x2 = Math.min(image.image().width(), a.bbox().x() + a.bbox().width()) / sx;
            double y2 = Math.min(image.image().height(), a.bbox().y() + a.bbox().height()) / sy;
            x1 = Math.min(x1, rw);
            x2 = Math.min(x2, rw);
            y1 = Math.min(y1, rh);
            y2 = Math.min(y2, rh);
            if (flip) {
                double f1 = rw - x2;
                double f2 = rw - x1;
                x1 = f1;
                x2 = f2;
            }
            boxes.add(new float[] {(float) x1, (float) y1, (float) x2, (float) y2});
            if (allMasks) {
                byte[] m = rasterise(a.segmentation(), image.image().width(), image.image().height(), sx, sy, w, h);
                if (flip) {
                    flipRows(m, w, h, rw);
                }
                bitmaps.add(m);
            }
        }
        // Mixed data (some instances without a mask) trains boxes only for that image: a missing mask is not empty.
        ImageTargets targets = new ImageTargets(boxes, image.labels(), allMasks ? bitmaps : null, h, w);
        return new Sample(chw, w, h, rw, rh, targets);
    }

    static byte[] rasterise(CocoSegmentation seg, int imageW, int imageH, double sx, double sy, int w, int h) {
        if (seg instanceof CocoSegmentation.Polygons p) {
            List<double[]> scaled = new ArrayList<>();
            for (double[] part : p.parts()) {
                double[] s = new double[part.length];
                for (int i = 0; i + 1 < part.length; i += 2) {
                    s[i] = part[i] / sx;
                    s[i + 1] = part[i + 1] / sy;
                }
                scaled.add(s);
            }
            return Rle.fromPolygons(scaled, h, w).decode().toArray();
        }
        BitMask full = seg.toRle(imageH, imageW).decode();
        byte[] out = new byte[w * h];
        int rw = (int) Math.min(w, Math.floor(imageW / sx));
        int rh = (int) Math.min(h, Math.floor(imageH / sy));
        for (int y = 0; y < rh; y++) {
            int srcY = (int) Math.min(full.height() - 1, Math.floor((y + 0.5) * sy));
            for (int x = 0; x < rw; x++) {
                int srcX = (int) Math.min(full.width() - 1, Math.floor((x + 0.5) * sx));
                out[y * w + x] = (byte) (full.get(srcX, srcY) ? 1 : 0);
            }
        }
        return out;
    }

    private static void flipChw(float[] chw, int w, int h, int rw, int rh) {
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < rh; y++) {
                int row = (c * h + y) * w;
                for (int i = 0, j = rw - 1; i < j; i++, j--) {
                    float t = chw[row + i];
                    chw[row + i] = chw[row + j];
                    chw[row + j] = t;
                }
            }
        }
    }

    static void flipRows(byte[] m, int w, int h, int rw) {
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int i = 0, j = rw - 1; i < j; i++, j--) {
                byte t = m[row + i];
                m[row + i] = m[row + j];
                m[row + j] = t;
            }
        }
    }
}
