package org.peopleseg.core.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peopleseg.core.dataset.CocoAnnotation;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;
import org.peopleseg.core.dataset.CocoImage;
import org.peopleseg.core.eval.ImageKpi;
import org.peopleseg.core.eval.KpiMatching;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.mask.BitMask;
import org.peopleseg.core.render.ImageWriter;
import org.peopleseg.core.render.OverlayRenderer;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.Instance;

/**
 * The "worst images" gallery: the images with the most errors (missed objects + false detections) at the KPI
 * threshold, each as two thumbnails side by side: the ground truth (green: found, red: missed, grey: crowd regions)
 * and the predictions (drawn by {@link OverlayRenderer}, labelled TP / FP / ignored with their score).
 *
 * <p>Everything is drawn at thumbnail size: the picture is scaled down first and boxes and masks are scaled to it
 * (masks by pixel coverage), so labels stay readable on full-HD frames and a 1080p mask never has to be blended at
 * full resolution.
 */
final class ReportGallery {
    static final Color FOUND = new Color(0x2ecc40);
    static final Color MISSED = new Color(0xff3b30);
    static final Color CROWD = new Color(0xb0b0b0);
    private static final Color PLACEHOLDER = new Color(0x4a4a4a);
    private static final float JPEG_QUALITY = 0.85f;

    /**
     * One gallery row.
     *
     * @param width   thumbnail width in pixels (height: its height)
     * @param picture where the picture came from, or null when it was not available (drawn on a grey background)
     * @param problem why the picture is missing, or empty
     */
    record Item(int rank, CocoImage image, ImageKpi counts, int width, int height, byte[] groundTruthJpeg,
            byte[] predictionJpeg, Path picture, String problem) {
    }

    private ReportGallery() {
    }

    /** Images with at least one error, most errors first (then most misses, then ascending id). */
    static List<ImageKpi> worst(KpiMatching matching, double threshold, int count) {
        return matching.perImage(threshold).stream()
                .filter(k -> k.errors() > 0)
                .sorted(Comparator.comparingInt(ImageKpi::errors).reversed()
                        .thenComparing(Comparator.comparingInt(ImageKpi::fn).reversed())
                        .thenComparingLong(ImageKpi::imageId))
                .limit(count)
                .toList();
    }

    /**
     * @param detections the list the matching was made from (indices must agree)
     * @param imageDir   where pictures are found by {@code file_name}, or null
     */
    static List<Item> build(CocoDataset groundTruth, List<CocoDetection> detections, KpiMatching matching,
            double threshold, Path imageDir, int count, int thumbWidth) throws IOException {
        List<ImageKpi> worst = worst(matching, threshold, count);
        Map<Long, List<Integer>> detsByImage = new HashMap<>();
        Set<Long> wanted = new HashSet<>();
        worst.forEach(k -> wanted.add(k.imageId()));
        for (int d = 0; d < detections.size(); d++) {
            CocoDetection det = detections.get(d);
            if (wanted.contains(det.imageId()) && det.score() >= threshold && matching.outcome(d).isPresent()) {
                detsByImage.computeIfAbsent(det.imageId(), k -> new ArrayList<>()).add(d);
            }
        }
        OverlayRenderer renderer = new OverlayRenderer(0.45f, true, true);
        List<Item> items = new ArrayList<>();
        for (ImageKpi k : worst) {
            CocoImage image = groundTruth.image(k.imageId()).orElseThrow();
            List<Integer> dets = new ArrayList<>(detsByImage.getOrDefault(k.imageId(), List.of()));
            Set<Long> matched = new HashSet<>();
            for (int d : dets) {
                matching.matchedGroundTruthId(d).ifPresent(matched::add);
            }
            // fit into thumbWidth x (3/4 thumbWidth): portrait pictures get narrower, never scaled up
            int maxH = Math.max(1, thumbWidth * 3 / 4);
            int tw = Math.max(1, Math.min(Math.min(thumbWidth, image.width()),
                    (int) Math.round((double) image.width() * maxH / image.height())));
            int th = Math.max(1, (int) Math.round((double) image.height() * tw / image.width()));
            Path file = null;
            String problem = "";
            BufferedImage base;
            if (imageDir == null) {
                problem = "no image folder given";
                base = placeholder(tw, th);
            } else {
                file = imageDir.resolve(image.fileName());
                BufferedImage full = null;
                if (image.fileName().isEmpty() || !Files.isRegularFile(file)) {
                    problem = "not found: " + file;
                } else {
                    try {
                        full = ImageReader.read(file);
                        if (full.getWidth() != image.width() || full.getHeight() != image.height()) {
                            problem = file + " is " + full.getWidth() + "x" + full.getHeight() + ", the annotations say "
                                    + image.width() + "x" + image.height();
                            full = null;
                        }
                    } catch (IOException e) {
                        problem = e.getMessage();
                    }
                }
                base = full == null ? placeholder(tw, th) : scale(full, tw, th);
                if (full == null) {
                    file = null;
                }
            }
            double sx = (double) tw / image.width();
            double sy = (double) th / image.height();
            BufferedImage gt = drawGroundTruth(base, groundTruth.annotationsOf(image.id()), matched, image, sx, sy);
            List<Instance> instances = new ArrayList<>();
            dets.sort(Comparator.comparingDouble((Integer d) -> detections.get(d).score()).reversed());
            for (int d : dets) {
                CocoDetection det = detections.get(d);
                String label = switch (matching.outcome(d).orElseThrow()) {
                    case TRUE_POSITIVE -> "TP";
                    case FALSE_POSITIVE -> "FP";
                    case IGNORED -> "ignored";
                };
                BitMask mask = det.segmentation() == null ? null
                        : scaleMask(det.segmentation().toRle(image.height(), image.width()).decode(), tw, th);
                Box box = det.bbox().toBox().scale(sx, sy).clip(tw, th);
                instances.add(new Instance(box, det.score(), det.categoryId(), label, mask));
            }
            BufferedImage pred = renderer.render(base, new Detections(image.fileName(), tw, th, instances));
            items.add(new Item(items.size() + 1, image, k, tw, th, jpeg(gt), jpeg(pred), file, problem));
        }
        return items;
    }

    private static BufferedImage placeholder(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(PLACEHOLDER);
            g.fillRect(0, 0, w, h);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(new Color(0x9a9a9a));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            String text = "image not available";
            FontMetrics fm = g.getFontMetrics();
            g.drawString(text, (w - fm.stringWidth(text)) / 2, h - fm.getDescent() - 6);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Scales down in halving steps with bilinear filtering (one bilinear step from 1920 px to 480 px aliases). */
    static BufferedImage scale(BufferedImage src, int w, int h) {
        BufferedImage cur = ImageReader.toRgb(src);
        int cw = cur.getWidth(), ch = cur.getHeight();
        do {
            int nw = Math.max(w, cw / 2), nh = Math.max(h, ch / 2);
            if (cw / 2 < w || ch / 2 < h) {
                nw = w;
                nh = h;
            }
            BufferedImage next = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = next.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                g.drawImage(cur, 0, 0, nw, nh, null);
            } finally {
                g.dispose();
            }
            cur = next;
            cw = nw;
            ch = nh;
        } while (cw != w || ch != h);
        return cur;
    }

    /**
     * A mask scaled to {@code w x h}: a target pixel is set when at least half of it is covered by set source pixels
     * (each source row is given to the target row its centre falls in). Cost is proportional to the mask's runs.
     */
    static BitMask scaleMask(BitMask mask, int w, int h) {
        if (mask.width() == w && mask.height() == h) {
            return mask;
        }
        double sx = (double) w / mask.width();
        double sy = (double) h / mask.height();
        float[] cover = new float[w * h];
        mask.forEachRowRun((y, x0, x1) -> {
            int ty = Math.min(h - 1, (int) ((y + 0.5) * sy));
            double a = x0 * sx, b = x1 * sx;
            int row = ty * w;
            for (int tx = (int) a; tx < w && tx < b; tx++) {
                double overlap = Math.min(b, tx + 1) - Math.max(a, tx);
                if (overlap > 0) {
                    cover[row + tx] += (float) (overlap * sy);
                }
            }
        });
        byte[] px = new byte[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (cover[i] >= 0.5f ? 1 : 0);
        }
        return new BitMask(w, h, px);
    }

    /** The ground truth over the picture: found objects green, missed red, crowd regions grey and dashed. */
    private static BufferedImage drawGroundTruth(BufferedImage base, List<CocoAnnotation> annotations,
            Set<Long> matched, CocoImage image, double sx, double sy) {
        int w = base.getWidth(), h = base.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(base, 0, 0, null);
        } finally {
            g.dispose();
        }
        int[] pixels = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        for (CocoAnnotation a : annotations) {
            if (a.hasSegmentation()) {
                BitMask m = scaleMask(a.segmentation().toRle(image.height(), image.width()).decode(), w, h);
                OverlayRenderer.blend(pixels, w, m, colorOf(a, matched), a.crowd() ? 0.35f : 0.45f);
            }
        }
        g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
            for (CocoAnnotation a : annotations) {
                Color c = colorOf(a, matched);
                Box b = a.bbox().toBox().scale(sx, sy);
                g.setColor(c);
                g.setStroke(a.crowd()
                        ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 3f}, 0f)
                        : new BasicStroke(2f));
                g.draw(new Rectangle2D.Double(b.x1(), b.y1(), b.width(), b.height()));
                String tag = a.crowd() ? "crowd" : matched.contains(a.id()) ? null : "missed";
                if (tag != null) {
                    FontMetrics fm = g.getFontMetrics();
                    int tw = fm.stringWidth(tag) + 6, th = fm.getAscent() + fm.getDescent() + 2;
                    int x = (int) Math.round(Math.min(Math.max(b.x1(), 0), Math.max(0, w - tw)));
                    int y = (int) Math.round(b.y1()) - th;
                    if (y < 0) {
                        y = (int) Math.round(Math.max(b.y1(), 0));
                    }
                    y = Math.min(y, Math.max(0, h - th));
                    g.fillRect(x, y, tw, th);
                    g.setColor(a.crowd() ? Color.BLACK : Color.WHITE);
                    g.drawString(tag, x + 3, y + 1 + fm.getAscent());
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static Color colorOf(CocoAnnotation a, Set<Long> matched) {
        return a.crowd() ? CROWD : matched.contains(a.id()) ? FOUND : MISSED;
    }

    private static byte[] jpeg(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        ImageWriter.write(img, "jpeg", out, JPEG_QUALITY);
        return out.toByteArray();
    }
}
