package org.peopleseg.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.peopleseg.core.dataset.CocoAnnotation;
import org.peopleseg.core.dataset.CocoBox;
import org.peopleseg.core.dataset.CocoCategory;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;
import org.peopleseg.core.dataset.CocoFormatException;
import org.peopleseg.core.dataset.CocoImage;
import org.peopleseg.core.dataset.CocoSegmentation;
import org.peopleseg.core.mask.Rle;

/**
 * Measures (does not assert) how long evaluation takes at the scale: 20,000 detections with compressed-RLE
 * masks against 10,000 ground-truth polygon masks on 1,000 images of 640x480. Times include what a user pays:
 * rasterising ground-truth polygons and decoding result strings. Printed as {@code [coco-eval speed] ...}.
 */
class CocoEvalSpeedTest {
    private static final int IMAGES = 1000, GT_PER_IMAGE = 10, DT_PER_IMAGE = 20, W = 640, H = 480;

    @Test
    void twentyThousandDetectionsAgainstTenThousandMasks() throws CocoFormatException {
        Random rnd = new Random(20240611);
        List<CocoImage> images = new ArrayList<>();
        List<CocoAnnotation> anns = new ArrayList<>();
        List<CocoDetection> dts = new ArrayList<>();
        long annId = 1;
        for (int img = 1; img <= IMAGES; img++) {
            images.add(new CocoImage(img, img + ".jpg", W, H));
            for (int g = 0; g < GT_PER_IMAGE; g++) {
                double cx = 40 + rnd.nextDouble() * (W - 80), cy = 60 + rnd.nextDouble() * (H - 120);
                double rx = 8 + rnd.nextDouble() * 50, ry = 15 + rnd.nextDouble() * 90;
                double[] poly = ellipse(cx, cy, rx, ry);
                anns.add(new CocoAnnotation(annId++, img, 1, box(poly), polygonArea(poly), rnd.nextInt(100) == 0,
                        new CocoSegmentation.Polygons(List.of(poly))));
                if (g < DT_PER_IMAGE / 2) { // a detection near every person: jittered position and size
                    dts.add(maskDetection(img, rnd.nextDouble(), ellipse(cx + rnd.nextGaussian() * 3,
                            cy + rnd.nextGaussian() * 3, rx * (0.9 + rnd.nextDouble() * 0.2),
                            ry * (0.9 + rnd.nextDouble() * 0.2))));
                }
            }
            for (int f = GT_PER_IMAGE; f < DT_PER_IMAGE; f++) { // false positives anywhere
                dts.add(maskDetection(img, rnd.nextDouble() * 0.6, ellipse(30 + rnd.nextDouble() * (W - 60),
                        30 + rnd.nextDouble() * (H - 60), 5 + rnd.nextDouble() * 40, 5 + rnd.nextDouble() * 60)));
            }
        }
        CocoDataset gt = CocoDataset.of("synthetic", images, anns, List.of(new CocoCategory(1, "person", "")));
        assertEquals(10_000, gt.annotations().size());
        assertEquals(20_000, dts.size());

        for (String run : List.of("first run in this JVM")) {
            long t0 = System.nanoTime();
            CocoEvalResult bbox = CocoEvaluator.evaluate(gt, dts, IouType.BBOX);
            long t1 = System.nanoTime();
            CocoEvalResult segm = CocoEvaluator.evaluate(gt, dts, IouType.SEGM);
            long t2 = System.nanoTime();
            KpiMatching kpi = KpiMatcher.match(gt, dts, IouType.SEGM);
            long t3 = System.nanoTime();
            MetricsReport.compute(gt, dts, 0.5, null);
            long t4 = System.nanoTime();
            System.out.printf("[coco-eval speed] %s, 20k dets vs 10k GT masks: COCOeval bbox %d ms, segm %d ms, "
                    + "KPI matching segm %d ms, full metrics report (bbox+segm, COCO+KPI+sweep) %d ms%n", run,
                    ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3));
            assertTrue(bbox.stats()[0] > 0.3 && segm.stats()[0] > 0.3, "the synthetic detector finds people");
            assertTrue(kpi.at(0.5).tp() > 0);
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static CocoDetection maskDetection(long image, double score, double[] poly) {
        Rle rle = Rle.fromPolygon(poly, H, W);
        CocoSegmentation segm = new CocoSegmentation.CompressedRle(H, W, rle.toCompressedString());
        return CocoDetection.of(image, 1, CocoBox.of(rle.toBbox()), score, segm);
    }

    private static double[] ellipse(double cx, double cy, double rx, double ry) {
        int n = 16;
        double[] xy = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * i / n;
            xy[2 * i] = Math.max(0, Math.min(W, cx + rx * Math.cos(a)));
            xy[2 * i + 1] = Math.max(0, Math.min(H, cy + ry * Math.sin(a)));
        }
        return xy;
    }

    private static CocoBox box(double[] xy) {
        double x0 = Double.MAX_VALUE, y0 = Double.MAX_VALUE, x1 = -1, y1 = -1;
        for (int i = 0; i < xy.length; i += 2) {
            x0 = Math.min(x0, xy[i]);
            x1 = Math.max(x1, xy[i]);
            y0 = Math.min(y0, xy[i + 1]);
            y1 = Math.max(y1, xy[i + 1]);
        }
        return new CocoBox(x0, y0, x1 - x0, y1 - y0);
    }

    private static double polygonArea(double[] xy) {
        double s = 0;
        int n = xy.length / 2;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            s += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
        }
        return Math.abs(s) / 2;
    }
}
