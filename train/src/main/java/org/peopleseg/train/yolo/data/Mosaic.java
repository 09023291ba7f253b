package org.peopleseg.train.yolo.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.peopleseg.core.dataset.CocoAnnotation;

/**
 * Ultralytics' 4-image mosaic (data/augment.py {@code Mosaic._mosaic4} followed by {@code RandomPerspective} with
 * border -imgsz/2; read there, not copied) for a width x height input: a 2W x 2H grey canvas, a centre (xc, yc)
 * drawn uniformly in [W/2, 3W/2] x [H/2, 3H/2], the sample's own image fitted to W x H (aspect kept, as
 * {@code load_image} fits the long side) with its bottom-right corner on the centre, three other images of the data
 * set at the centre's top-right, bottom-left and bottom-right, each cut only by the canvas edge; then the affine part
 * of {@code random_perspective}: the canvas centre scaled by s = 1 + U(-scale, scale) about itself and moved to the
 * input's centre plus U(-translate, translate) of its size, cropping W x H. Every step is an axis-aligned scale and
 * offset, so each tile is one {@link Placement} and is resampled once from the source, never from the canvas.
 * Differences, on purpose: partners are drawn uniformly from the whole data set (Ultralytics draws from a buffer of
 * recently loaded images); rotation, shear and perspective stay off as in the plain path; no close_mosaic (CPU
 * fine-tunes are a few epochs: turn --mosaic off for the last ones by resuming with --mosaic 0 if wanted).
 */
final class Mosaic {
    private Mosaic() {}

    /** The four placements, in Ultralytics' order (the sample first), and the draws from rnd in a fixed order. */
    static List<Placement> place(int width, int height, Augmentation aug, BufferedImage rgb,
                                 List<CocoAnnotation> annotations, SampleBuilder.MosaicSource source, Random rnd)
            throws IOException {
        double xc = width / 2.0 + rnd.nextDouble() * width;
        double yc = height / 2.0 + rnd.nextDouble() * height;
        List<SampleBuilder.Tile> tiles = new ArrayList<>();
        tiles.add(new SampleBuilder.Tile(rgb, annotations));
        for (int i = 1; i < 4; i++) {
            tiles.add(source.random(rnd));
        }
        double s = 1 + (rnd.nextDouble() * 2 - 1) * aug.scale();
        double dx = (rnd.nextDouble() * 2 - 1) * aug.translate() * width;
        double dy = (rnd.nextDouble() * 2 - 1) * aug.translate() * height;
        List<Placement> out = new ArrayList<>(4);
        for (int i = 0; i < 4; i++) {
            BufferedImage im = tiles.get(i).rgb();
            int w = im.getWidth(), h = im.getHeight();
            double fit = Math.min((double) width / w, (double) height / h);
            double tw = Math.max(1, Math.round(w * fit)), th = Math.max(1, Math.round(h * fit));
            double ax = (i == 0 || i == 2) ? xc - tw : xc;            // left tiles end at the centre
            double ay = (i == 0 || i == 1) ? yc - th : yc;            // top tiles end at the centre
            double vx1 = Math.max(ax, 0), vy1 = Math.max(ay, 0);      // what the 2W x 2H canvas shows of the tile
            double vx2 = Math.min(ax + tw, 2.0 * width), vy2 = Math.min(ay + th, 2.0 * height);
            // canvas -> input: (c - canvas centre) * s + input centre + (dx, dy)
            double ox = width / 2.0 + dx - width * s, oy = height / 2.0 + dy - height * s;
            int rw = Math.max(1, (int) Math.round(tw * s)), rh = Math.max(1, (int) Math.round(th * s));
            out.add(new Placement(im, tiles.get(i).annotations(), rw, rh, (int) Math.round(ax * s + ox),
                    (int) Math.round(ay * s + oy), vx1 * s + ox, vy1 * s + oy, vx2 * s + ox, vy2 * s + oy));
        }
        return out;
    }
}
