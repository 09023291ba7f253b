package org.peopleseg.train.yolo.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.peopleseg.core.dataset.CocoAnnotation;
import org.peopleseg.core.image.BilinearResize;
import org.peopleseg.core.mask.BitMask;
import org.peopleseg.core.mask.Rle;
import org.peopleseg.train.yolo.loss.YoloTargets;

/**
 * Turns an image and its COCO annotations into a {@link TrainingSample}: the package's letterbox (image scaled to fit,
 * top-left, grey 114 elsewhere) with the {@link Augmentation}'s random scale, translation, flip and HSV jitter on
 * top; boxes mapped the same way, clipped, and dropped when less than 2 px wide/high or under 10% of their area is
 * left (Ultralytics' {@code box_candidates}); masks, when the data has them, sampled at prototype resolution
 * (input / 4) at the prototype pixel centres. Crowd regions are not targets (Ultralytics drops them too). With
 * {@code aug.mosaic()} > 0 and a {@link MosaicSource}, that share of samples is a 4-image {@link Mosaic} instead.
 * Flip and HSV apply to the whole input after the placement, as in Ultralytics' pipeline. With
 * {@code aug.crops()} the input is a window of the image letterboxed to the crop-from size (the deploy scale).
 */
public final class SampleBuilder {
    static final int PROTO_RATIO = 4;
    private final int width;
    private final int height;
    private final Augmentation aug;
    private final java.util.Map<Integer, Integer> labelOfCategory;

    private final MosaicSource mosaicSource;

    /** @param labelOfCategory COCO category id -> the package's label index (other categories are ignored) */
    public SampleBuilder(int width, int height, Augmentation aug, java.util.Map<Integer, Integer> labelOfCategory) {
        this(width, height, aug, labelOfCategory, null);
    }

    /** @param mosaicSource the other images of a mosaic (needed when aug.mosaic() > 0; null: no mosaic) */
    public SampleBuilder(int width, int height, Augmentation aug, java.util.Map<Integer, Integer> labelOfCategory,
                         MosaicSource mosaicSource) {
        if (aug.crops() && (aug.cropFromWidth() < width || aug.cropFromHeight() < height)) {
            throw new IllegalArgumentException("crop-from " + aug.cropFromWidth() + "x" + aug.cropFromHeight()
                    + " is smaller than the training input " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.aug = aug;
        this.labelOfCategory = java.util.Map.copyOf(labelOfCategory);
        this.mosaicSource = mosaicSource;
    }

    /** An image of the data set and its annotations, for a mosaic tile. */
    public record Tile(BufferedImage rgb, List<CocoAnnotation> annotations) {}

    /** Draws a random image of the data set (from rnd only, so runs stay reproducible). */
    @FunctionalInterface
    public interface MosaicSource {
        Tile random(Random rnd) throws IOException;
    }

    public TrainingSample build(String source, BufferedImage rgb, List<CocoAnnotation> annotations, boolean withMasks,
                                Random rnd) throws IOException {
        List<Placement> placements;
        if (aug.mosaic() > 0 && mosaicSource != null && rnd.nextDouble() < aug.mosaic()) {
            placements = Mosaic.place(width, height, aug, rgb, annotations, mosaicSource, rnd);
        } else {
            placements = List.of(single(rgb, annotations, rnd));
        }
        boolean flip = rnd.nextDouble() < aug.flipLr();
        float[] canvas = new float[3 * width * height];
        java.util.Arrays.fill(canvas, Letterbox.PAD);
        for (Placement p : placements) {
            render(p, canvas, flip);
        }
        if (aug.hsvH() > 0 || aug.hsvS() > 0 || aug.hsvV() > 0) {
            HsvJitter.apply(canvas, width * height, 1 + (rnd.nextDouble() * 2 - 1) * aug.hsvH(),
                    1 + (rnd.nextDouble() * 2 - 1) * aug.hsvS(), 1 + (rnd.nextDouble() * 2 - 1) * aug.hsvV());
        }
        List<float[]> boxes = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<byte[]> masks = new ArrayList<>();
        for (Placement p : placements) {
            double kx = p.kx(), ky = p.ky();
            double cx1 = Math.max(0, p.clipX1()), cx2 = Math.min(width, p.clipX2());
            double cy1 = Math.max(0, p.clipY1()), cy2 = Math.min(height, p.clipY2());
            for (CocoAnnotation a : p.annotations()) {
                Integer label = labelOfCategory.get(a.categoryId());
                if (label == null || a.crowd() || a.bbox().width() <= 0 || a.bbox().height() <= 0) {
                    continue;
                }
                double x1 = a.bbox().x() * kx + p.tx(), x2 = (a.bbox().x() + a.bbox().width()) * kx + p.tx();
                double y1 = a.bbox().y() * ky + p.ty(), y2 = (a.bbox().y() + a.bbox().height()) * ky + p.ty();
                double area0 = (x2 - x1) * (y2 - y1);
                x1 = clamp(x1, cx1, cx2);
                x2 = clamp(x2, cx1, cx2);
                y1 = clamp(y1, cy1, cy2);
                y2 = clamp(y2, cy1, cy2);
                if (flip) {
                    double f1 = width - x2, f2 = width - x1;
                    x1 = f1;
                    x2 = f2;
                }
                double bw = x2 - x1, bh = y2 - y1;
                if (bw <= 2 || bh <= 2 || bw * bh < 0.1 * area0) {
                    continue;
                }
                boxes.add(new float[] {(float) x1, (float) y1, (float) x2, (float) y2});
                labels.add(label);
                if (withMasks) {
                    masks.add(protoMask(a, p, flip));
                }
            }
        }
        float[] flat = new float[boxes.size() * 4];
        for (int i = 0; i < boxes.size(); i++) {
            System.arraycopy(boxes.get(i), 0, flat, 4 * i, 4);
        }
        YoloTargets t = new YoloTargets(flat, labels.stream().mapToInt(Integer::intValue).toArray(),
                withMasks ? masks.toArray(new byte[0][]) : null);
        return new TrainingSample(source, canvas, width, height, t);
    }

    /**
     * The plain sample: the letterbox with the random scale and translation, clipped to the whole input. With
     * crops on, the letterbox, scale and translation are those of the crop-from canvas, and the input is a
     * {@link CropWindow} of it (two more draws, after the others).
     */
    private Placement single(BufferedImage rgb, List<CocoAnnotation> annotations, Random rnd) {
        int cw = aug.crops() ? aug.cropFromWidth() : width, ch = aug.crops() ? aug.cropFromHeight() : height;
        int w = rgb.getWidth(), h = rgb.getHeight();
        double fit = Math.min((double) cw / w, (double) ch / h);
        double s = aug.scale() > 0 ? fit * (1 + (rnd.nextDouble() * 2 - 1) * aug.scale()) : fit;
        int rw = Math.max(1, (int) Math.round(w * s)), rh = Math.max(1, (int) Math.round(h * s));
        int tx = 0, ty = 0;
        if (aug.translate() > 0 || aug.scale() > 0) {
            // centre the scaled image on the letterbox's own centre, then shift by up to +/- translate
            double baseX = (fit * w - rw) / 2.0, baseY = (fit * h - rh) / 2.0;
            tx = (int) Math.round(baseX + (rnd.nextDouble() * 2 - 1) * aug.translate() * cw);
            ty = (int) Math.round(baseY + (rnd.nextDouble() * 2 - 1) * aug.translate() * ch);
        }
        if (aug.crops()) {
            CropWindow win = CropWindow.draw(cw, ch, width, height, rnd);
            tx -= win.x();
            ty -= win.y();
        }
        return new Placement(rgb, annotations, rw, rh, tx, ty, 0, 0, width, height);
    }

    /** The placement's image resized to rw x rh and pasted at (tx, ty) inside its clip, optionally flipped. */
    private void render(Placement p, float[] out, boolean flip) {
        BufferedImage rgb = p.rgb();
        int w = rgb.getWidth(), h = rgb.getHeight(), rw = p.rw(), rh = p.rh();
        int[] px = rgb.getRGB(0, 0, w, h, null, 0, w);
        float[] src = new float[3 * w * h];
        int plane = w * h;
        for (int i = 0; i < plane; i++) {
            int v = px[i];
            src[i] = ((v >> 16) & 255) / 255f;
            src[plane + i] = ((v >> 8) & 255) / 255f;
            src[2 * plane + i] = (v & 255) / 255f;
        }
        float[] resized = new float[3 * rw * rh];
        BilinearResize.resize(src, 3, h, w, resized, rh, rw, rh, rw);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < rh; y++) {
                int oy = y + p.ty();
                if (oy < 0 || oy >= height || !inside(oy, p.clipY1(), p.clipY2())) {
                    continue;
                }
                for (int x = 0; x < rw; x++) {
                    int ox = x + p.tx();
                    if (ox < 0 || ox >= width || !inside(ox, p.clipX1(), p.clipX2())) {
                        continue;
                    }
                    int fx = flip ? width - 1 - ox : ox;
                    out[c * width * height + oy * width + fx] = resized[c * rw * rh + y * rw + x];
                }
            }
        }
    }

    /** Whether pixel i (its centre i + 0.5) lies in [lo, hi). */
    private static boolean inside(int i, double lo, double hi) {
        return i + 0.5 >= lo && i + 0.5 < hi;
    }

    /** The annotation's mask at prototype resolution: nearest source pixel to each prototype pixel centre. */
    private byte[] protoMask(CocoAnnotation a, Placement p, boolean flip) {
        int hp = height / PROTO_RATIO, wp = width / PROTO_RATIO;
        byte[] out = new byte[hp * wp];
        if (!a.hasSegmentation()) {
            return out;
        }
        int w = p.rgb().getWidth(), h = p.rgb().getHeight();
        double kx = p.kx(), ky = p.ky();
        Rle rle = a.segmentation().toRle(h, w);
        BitMask m = rle.decode();
        for (int r = 0; r < hp; r++) {
            double cy = (r + 0.5) * PROTO_RATIO;
            int sy = (int) Math.floor((cy - p.ty()) / ky);
            if (sy < 0 || sy >= h || cy < p.clipY1() || cy >= p.clipY2()) {
                continue;
            }
            for (int c = 0; c < wp; c++) {
                double cx = (c + 0.5) * PROTO_RATIO;
                if (flip) {
                    cx = width - cx;
                }
                int sx = (int) Math.floor((cx - p.tx()) / kx);
                if (sx >= 0 && sx < w && cx >= p.clipX1() && cx < p.clipX2() && m.get(sx, sy)) {
                    out[r * wp + c] = 1;
                }
            }
        }
        return out;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
