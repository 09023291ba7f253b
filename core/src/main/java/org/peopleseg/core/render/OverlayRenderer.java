package org.peopleseg.core.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.List;
import java.util.Locale;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.mask.BitMask;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.Instance;

/**
 * Draws detections over their image: a translucent fill over each mask, the box outline and a label such as
 * {@code "person 0.93"} (or {@code "person #12 0.93"} when tracked) on a filled tag.
 *
 * <p>Rendering lives here, apart from the data types (unlike DJL's {@code DetectedObjects}): the renderer reads
 * {@link Detections}, never the other way round. Colours come from the track id when there is one, so a person
 * keeps their colour across video frames, otherwise from the instance's position in the list; consecutive keys
 * get hues a golden angle apart, which stays distinguishable for dozens of instances.
 *
 * <p>Masks are blended straight into the pixel array (a {@code Graphics2D} fill per pixel run would be far slower
 * for 100 full-HD masks); boxes and text go through Java2D with anti-aliasing. Immutable, thread-safe.
 */
public final class OverlayRenderer {
    private static final double GOLDEN_ANGLE = 0.6180339887498949;

    private final float maskAlpha;
    private final boolean drawBoxes;
    private final boolean drawLabels;

    /** Fill alpha 0.45, boxes and labels on. */
    public OverlayRenderer() {
        this(0.45f, true, true);
    }

    /** @param maskAlpha opacity of the mask fill, 0 (invisible) to 1 (opaque) */
    public OverlayRenderer(float maskAlpha, boolean drawBoxes, boolean drawLabels) {
        if (!(maskAlpha >= 0 && maskAlpha <= 1)) {
            throw new IllegalArgumentException("mask alpha must be in [0, 1], got " + maskAlpha);
        }
        this.maskAlpha = maskAlpha;
        this.drawBoxes = drawBoxes;
        this.drawLabels = drawLabels;
    }

    /**
     * A new RGB image: {@code image} with the detections drawn over it; {@code image} itself is not changed.
     *
     * @throws IllegalArgumentException when the detections were made for an image of another size
     */
    public BufferedImage render(BufferedImage image, Detections detections) {
        if (image.getWidth() != detections.width() || image.getHeight() != detections.height()) {
            throw new IllegalArgumentException("detections of " + detections.source() + " are for a "
                    + detections.width() + "x" + detections.height() + " image, got " + image.getWidth() + "x"
                    + image.getHeight());
        }
        BufferedImage out = copyRgb(image);
        List<Instance> instances = detections.instances();
        int[] pixels = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < instances.size(); i++) {
            Instance inst = instances.get(i);
            if (inst.hasMask()) {
                blend(pixels, out.getWidth(), inst.mask(), colorOf(i, inst), maskAlpha);
            }
        }
        if (drawBoxes || drawLabels) {
            Graphics2D g = out.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                int scale = Math.max(out.getWidth(), out.getHeight());
                float stroke = Math.max(1.5f, scale / 500f);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(11, Math.round(scale / 70f))));
                for (int i = 0; i < instances.size(); i++) {
                    Instance inst = instances.get(i);
                    Color c = colorOf(i, inst);
                    if (drawBoxes) {
                        drawBox(g, inst.box(), c, stroke);
                    }
                    if (drawLabels) {
                        drawLabel(g, inst, c, out.getWidth(), out.getHeight());
                    }
                }
            } finally {
                g.dispose();
            }
        }
        return out;
    }

    /** The label text: class, track id when tracked, score with two decimals. */
    static String labelOf(Instance inst) {
        String score = String.format(Locale.ROOT, "%.2f", inst.score());
        return inst.trackId() >= 0 ? inst.label() + " #" + inst.trackId() + " " + score : inst.label() + " " + score;
    }

    /** Stable colour of an instance: keyed by track id when tracked, else by index. */
    static Color colorOf(int index, Instance inst) {
        long key = inst.trackId() >= 0 ? inst.trackId() : index;
        double hue = (key * GOLDEN_ANGLE) % 1.0;
        return Color.getHSBColor((float) hue, 0.85f, 0.95f);
    }

    private static BufferedImage copyRgb(BufferedImage image) {
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = copy.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return copy;
    }

    /**
     * Blends {@code color} at {@code alpha} into the packed-RGB {@code pixels} (row-major, {@code width} wide) under
     * the mask's set pixels, in 8-bit fixed point; shared with the evaluation report's ground-truth drawings.
     */
    public static void blend(int[] pixels, int width, BitMask mask, Color color, float alpha) {
        if (mask.width() != width || (long) mask.height() * width != pixels.length) {
            throw new IllegalArgumentException("a " + mask.width() + "x" + mask.height() + " mask on a " + width + "x"
                    + (pixels.length / Math.max(width, 1)) + " image");
        }
        int a = Math.round(alpha * 256);
        int inv = 256 - a;
        int cr = color.getRed() * a, cg = color.getGreen() * a, cb = color.getBlue() * a;
        mask.forEachRowRun((y, x0, x1) -> {
            for (int i = y * width + x0, end = y * width + x1; i < end; i++) {
                int p = pixels[i];
                int r = (((p >> 16) & 0xff) * inv + cr) >> 8;
                int g = (((p >> 8) & 0xff) * inv + cg) >> 8;
                int b = ((p & 0xff) * inv + cb) >> 8;
                pixels[i] = (r << 16) | (g << 8) | b;
            }
        });
    }

    private static void drawBox(Graphics2D g, Box box, Color c, float stroke) {
        g.setColor(c);
        g.setStroke(new BasicStroke(stroke));
        g.draw(new Rectangle2D.Double(box.x1(), box.y1(), box.width(), box.height()));
    }

    /** A filled tag above the box's top-left corner, or inside the box when there is no room above. */
    private static void drawLabel(Graphics2D g, Instance inst, Color c, int imageWidth, int imageHeight) {
        String text = labelOf(inst);
        FontMetrics fm = g.getFontMetrics();
        int pad = Math.max(2, fm.getHeight() / 6);
        int tw = fm.stringWidth(text) + 2 * pad, th = fm.getAscent() + fm.getDescent() + pad;
        int x = (int) Math.round(Math.min(Math.max(inst.box().x1(), 0), Math.max(0, imageWidth - tw)));
        int y = (int) Math.round(inst.box().y1()) - th;
        if (y < 0) {
            y = (int) Math.round(Math.max(inst.box().y1(), 0));
        }
        y = Math.min(y, Math.max(0, imageHeight - th));
        g.setColor(c);
        g.fillRect(x, y, tw, th);
        // dark text on light colours, white on dark ones
        double luma = 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue();
        g.setColor(luma > 140 ? Color.BLACK : Color.WHITE);
        g.drawString(text, x + pad, y + pad / 2 + fm.getAscent());
    }
}
