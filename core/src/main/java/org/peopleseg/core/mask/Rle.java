package org.peopleseg.core.mask;

import java.util.Arrays;
import java.util.List;

/**
 * A binary mask as COCO run-length encoding, behaving exactly like pycocotools' {@code maskApi.c}.
 *
 * <p>Runs go over the mask in column-major (Fortran) order and always start with a run of zeros (0 long when the
 * first pixel is set), so runs at even indices are background and runs at odd indices are foreground. Every
 * operation that the COCO evaluator relies on — compressed string, area, {@code toBbox}, IoU, merge, polygon and box
 * rasterisation — reproduces pycocotools' results bit for bit, including its quirks (documented where they show),
 * because evaluation numbers are only comparable with the published ones when they are computed the same way.
 *
 * <p>Area, IoU and merge work on the runs directly (cost proportional to the number of runs, not pixels), which is
 * what makes evaluating thousands of detections cheap. Instances are immutable and thread-safe.
 *
 * <p>pycocotools stores runs as 32-bit unsigned integers; this class limits masks to {@code height * width <=
 * Integer.MAX_VALUE} pixels (46340 x 46340), well beyond any image, so runs fit a Java {@code int} and the
 * arithmetic never wraps.
 */
public final class Rle {
    static final int MAX_PIXELS = Integer.MAX_VALUE;
    /**
     * Most points of a polygon's outline traced at 5x (pycocotools' rleFrPoly): about 3.3 M pixels of perimeter, and
     * 200 MB of work arrays. A real outline is far shorter (a full 4K frame's border is 12,000 pixels); a crafted one
     * with far-apart vertices would otherwise allocate up to 2^31 points.
     */
    public static final int MAX_POLYGON_OUTLINE = 1 << 24;

    private final int height;
    private final int width;
    /** Run lengths, even index = zeros; never mutated after construction. */
    private final int[] counts;
    private final long area;
    /** pycocotools' toBbox, precomputed because the evaluator asks for it for every IoU. */
    private final long bboxX, bboxY, bboxW, bboxH;

    private Rle(int height, int width, int[] counts) {
        this.height = height;
        this.width = width;
        this.counts = counts;
        long a = 0;
        for (int j = 1; j < counts.length; j += 2) {
            a += counts[j];
        }
        this.area = a;
        long[] bb = computeBbox(height, width, counts);
        bboxX = bb[0];
        bboxY = bb[1];
        bboxW = bb[2];
        bboxH = bb[3];
    }

    // ------------------------------------------------------------------------------------------------ construction

    /**
     * Encodes a bitmap (pycocotools {@code mask.encode}).
     *
     * <p>Instead of walking the row-major bitmap in column-major order (cache-hostile, one branch per pixel), this
     * collects the column-major positions where the value changes — found by comparing each row with the one above
     * (and the top of a column with the bottom of the previous one) using vectorised {@code Arrays.mismatch} — sorts
     * them, and takes differences. The cost is a fast pass over memory plus the number of boundary pixels.
     */
    public static Rle encode(BitMask mask) {
        int h = mask.height(), w = mask.width();
        checkSize(h, w);
        if (h == 0 || w == 0) {
            return new Rle(h, w, new int[] {0});
        }
        byte[] px = mask.pixels();
        IntList toggles = new IntList();
        // (x, y) for y >= 1 starts a new run when it differs from (x, y - 1)
        for (int y = 1; y < h; y++) {
            int above = (y - 1) * w, row = y * w;
            for (int x = 0; x < w; ) {
                int d = Arrays.mismatch(px, above + x, above + w, px, row + x, row + w);
                if (d < 0) {
                    break;
                }
                x += d;
                toggles.add(x * h + y);
                x++;
            }
        }
        // (x, 0) continues column x - 1 at its bottom (x - 1, h - 1); before (0, 0) the value is 0
        if (px[0] != 0) {
            toggles.add(0);
        }
        int last = (h - 1) * w;
        for (int x = 1; x < w; ) {
            int d = Arrays.mismatch(px, x, w, px, last + x - 1, last + w - 1);
            if (d < 0) {
                break;
            }
            x += d;
            toggles.add(x * h);
            x++;
        }
        int[] pos = toggles.toSortedArray();
        int[] counts = new int[pos.length + 1];
        int prev = 0;
        for (int k = 0; k < pos.length; k++) {
            counts[k] = pos[k] - prev;
            prev = pos[k];
        }
        counts[pos.length] = h * w - prev;
        return new Rle(h, w, counts);
    }

    /**
     * From plain run lengths, as in COCO's {@code {"size": [h, w], "counts": [..]}} (crowd annotations).
     *
     * @throws IllegalArgumentException when a run is negative or the runs do not add up to {@code h * w}; pycocotools
     *                                  would accept such runs and evaluate garbage, a file like that is corrupt
     */
    public static Rle fromUncompressed(int height, int width, long[] counts) {
        checkSize(height, width);
        int[] c = new int[counts.length];
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0 || counts[i] > MAX_PIXELS) {
                throw new IllegalArgumentException("RLE run " + i + " out of range: " + counts[i]);
            }
            c[i] = (int) counts[i];
        }
        return validated(height, width, c);
    }

    /**
     * From pycocotools' compressed string ({@code rleFrString}).
     *
     * @throws IllegalArgumentException when the string is malformed or its runs do not add up to {@code h * w}
     */
    public static Rle fromCompressedString(int height, int width, String s) {
        checkSize(height, width);
        int[] cnts = new int[s.length()];
        int m = 0, p = 0, n = s.length();
        while (p < n) {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                if (p >= n) {
                    throw new IllegalArgumentException("compressed RLE ends inside a number: \"" + s + "\"");
                }
                int c = s.charAt(p) - 48;
                if (c < 0 || c > 63) {
                    throw new IllegalArgumentException(
                            "compressed RLE has an invalid character '" + s.charAt(p) + "' at " + p);
                }
                if (k >= 7) {
                    throw new IllegalArgumentException("compressed RLE number too long at " + p);
                }
                x |= (long) (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k); // sign extension
                }
            }
            if (m > 2) {
                x += cnts[m - 2]; // runs after the third are stored as the difference to the run two back
            }
            if (x < 0 || x > MAX_PIXELS) {
                throw new IllegalArgumentException("compressed RLE run " + m + " out of range: " + x);
            }
            cnts[m++] = (int) x;
        }
        return validated(height, width, Arrays.copyOf(cnts, m));
    }

    /**
     * Rasterises one polygon exactly like pycocotools' {@code rleFrPoly}: the outline is upsampled by 5, traced
     * densely, and a pixel is inside when its centre is — so results match the COCO ground truth masks to the pixel.
     *
     * @param xy x0, y0, x1, y1, ... in pixel coordinates (a pixel's centre is at +0.5)
     */
    public static Rle fromPolygon(double[] xy, int height, int width) {
        checkSize(height, width);
        if (xy.length < 2 || xy.length % 2 != 0) {
            throw new IllegalArgumentException("polygon needs an even number (>= 2) of coordinates, got " + xy.length);
        }
        if ((long) height * width == 0) {
            return new Rle(height, width, new int[] {0});
        }
        return new Rle(height, width, PolygonRaster.runs(xy, height, width));
    }

    /**
     * The union of a COCO polygon segmentation's parts, as pycocotools' {@code annToRLE} computes it
     * ({@code merge(frPyObjects(parts, h, w))}). Mirrors one pycocotools quirk so ground truth reads identically:
     * when the first part has exactly 4 numbers, {@code frPyObjects} takes the whole list for [x, y, w, h] boxes.
     */
    public static Rle fromPolygons(List<double[]> parts, int height, int width) {
        checkSize(height, width);
        if (parts.isEmpty()) {
            return new Rle(height, width, new int[] {height * width});
        }
        boolean boxes = parts.get(0).length == 4;
        Rle[] rles = new Rle[parts.size()];
        for (int i = 0; i < rles.length; i++) {
            double[] p = parts.get(i);
            if (boxes && p.length != 4) {
                throw new IllegalArgumentException("segmentation part 0 is a box (4 numbers) but part " + i
                        + " has " + p.length + "; pycocotools reads such a list as boxes");
            }
            rles[i] = boxes ? fromBbox(p, height, width) : fromPolygon(p, height, width);
        }
        return merge(List.of(rles), false);
    }

    /** A box [x, y, w, h] rasterised as its 4-corner polygon (pycocotools {@code rleFrBbox}). */
    public static Rle fromBbox(double[] xywh, int height, int width) {
        if (xywh.length != 4) {
            throw new IllegalArgumentException("box needs [x, y, w, h], got " + xywh.length + " numbers");
        }
        double xs = xywh[0], xe = xs + xywh[2];
        double ys = xywh[1], ye = ys + xywh[3];
        return fromPolygon(new double[] {xs, ys, xs, ye, xe, ye, xe, ys}, height, width);
    }

    // ---------------------------------------------------------------------------------------------------- access

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Number of runs (including the leading zero run). */
    public int runCount() {
        return counts.length;
    }

    /** A copy of the run lengths, even indices zeros, in column-major order. */
    public long[] counts() {
        long[] c = new long[counts.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts[i];
        }
        return c;
    }

    /** Number of set pixels (pycocotools {@code area}). */
    public long area() {
        return area;
    }

    /**
     * pycocotools' {@code toBbox}: [x, y, w, h] of the set pixels in whole pixels, all zeros for an empty mask.
     * Like pycocotools it takes the full height for a column range whenever a run of ones wraps into the next column.
     */
    public double[] toBbox() {
        return new double[] {bboxX, bboxY, bboxW, bboxH};
    }

    /** The bitmap (pycocotools {@code mask.decode}, transposed into this project's row-major layout). */
    public BitMask decode() {
        byte[] px = new byte[height * width];
        int pos = 0;
        for (int j = 0; j < counts.length; j++) {
            int len = counts[j];
            if ((j & 1) == 1 && len > 0) {
                int x = pos / height, y = pos % height;
                for (int t = 0; t < len; t++) {
                    px[y * width + x] = 1;
                    if (++y == height) {
                        y = 0;
                        x++;
                    }
                }
            }
            pos += len;
        }
        return new BitMask(width, height, px);
    }

    /** pycocotools' compressed string ({@code rleToString}), the {@code counts} of COCO results files. */
    public String toCompressedString() {
        StringBuilder sb = new StringBuilder(counts.length * 2 + 4);
        for (int i = 0; i < counts.length; i++) {
            long x = counts[i];
            if (i > 2) {
                x -= counts[i - 2]; // (sic) i > 2, not i >= 2: the format is defined by this code
            }
            boolean more = true;
            while (more) {
                int c = (int) (x & 0x1f);
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    c |= 0x20;
                }
                sb.append((char) (c + 48));
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------------ operations

    /**
     * pycocotools' mask IoU ({@code rleIou}) of a detection against a ground truth.
     *
     * @param gtIsCrowd for a crowd region the denominator is the detection's area, not the union
     * @return 0 when the two {@link #toBbox() boxes} do not overlap or nothing intersects, -1 when the masks differ in
     *         size (only noticed when their boxes overlap, as in pycocotools)
     */
    public static double iou(Rle dt, Rle gt, boolean gtIsCrowd) {
        if (!boxesOverlap(dt, gt)) {
            return 0;
        }
        if (dt.height != gt.height || dt.width != gt.width) {
            return -1;
        }
        long inter = intersectionArea(dt, gt);
        if (inter == 0) {
            return 0;
        }
        long union = gtIsCrowd ? dt.area : dt.area + gt.area - inter;
        return (double) inter / (double) union;
    }

    /**
     * All IoUs between detections and ground truths, {@code result[d][g]} (pycocotools {@code mask.iou} returns the
     * same matrix).
     *
     * @param gtIsCrowd one flag per ground truth
     */
    public static double[][] iou(List<Rle> dts, List<Rle> gts, boolean[] gtIsCrowd) {
        if (gtIsCrowd.length != gts.size()) {
            throw new IllegalArgumentException(gts.size() + " ground truths but " + gtIsCrowd.length + " crowd flags");
        }
        double[][] out = new double[dts.size()][gts.size()];
        for (int d = 0; d < out.length; d++) {
            Rle dt = dts.get(d);
            for (int g = 0; g < gtIsCrowd.length; g++) {
                out[d][g] = iou(dt, gts.get(g), gtIsCrowd[g]);
            }
        }
        return out;
    }

    /**
     * pycocotools' box IoU ({@code bbIou}) on [x, y, w, h] boxes; for a crowd ground truth the denominator is the
     * detection's box area. Lives here because it is the first step of {@link #iou(Rle, Rle, boolean)} and the
     * evaluator needs the identical arithmetic for its bbox mode.
     */
    public static double bboxIou(double[] dt, double[] gt, boolean gtIsCrowd) {
        double w = Math.min(dt[2] + dt[0], gt[2] + gt[0]) - Math.max(dt[0], gt[0]);
        if (w <= 0) {
            return 0;
        }
        double h = Math.min(dt[3] + dt[1], gt[3] + gt[1]) - Math.max(dt[1], gt[1]);
        if (h <= 0) {
            return 0;
        }
        double i = w * h;
        double da = dt[2] * dt[3];
        double u = gtIsCrowd ? da : da + gt[2] * gt[3] - i;
        return i / u;
    }

    /**
     * Union or intersection of masks of one size (pycocotools {@code merge}), folding left to right over the runs.
     *
     * @throws IllegalArgumentException for an empty list or masks of different sizes (pycocotools returns an empty
     *                                  0x0 RLE there, which only hides the mistake)
     */
    public static Rle merge(List<Rle> rles, boolean intersect) {
        if (rles.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        Rle first = rles.get(0);
        int h = first.height, w = first.width;
        int[] acc = first.counts;
        int[] buf = null;
        for (int r = 1; r < rles.size(); r++) {
            Rle other = rles.get(r);
            if (other.height != h || other.width != w) {
                throw new IllegalArgumentException(
                        "cannot merge masks of different sizes: " + h + "x" + w + " and " + other.height + "x" + other.width);
            }
            int[] a = acc, b = other.counts;
            if (buf == null || buf.length < a.length + b.length) {
                buf = new int[a.length + b.length];
            }
            int m = mergeRuns(a, b, intersect, buf);
            acc = Arrays.copyOf(buf, m);
        }
        return acc == first.counts ? first : new Rle(h, w, acc);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rle r && r.height == height && r.width == width && Arrays.equals(r.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Rle[" + height + "x" + width + ", runs=" + counts.length + ", area=" + area + "]";
    }

    // ----------------------------------------------------------------------------------------------------- internals

    /** The bbIou > 0 pre-test of rleIou, on the cached integer boxes (exact in double). */
    private static boolean boxesOverlap(Rle dt, Rle gt) {
        double w = Math.min((double) dt.bboxW + dt.bboxX, (double) gt.bboxW + gt.bboxX) - Math.max(dt.bboxX, gt.bboxX);
        if (w <= 0) {
            return false;
        }
        double h = Math.min((double) dt.bboxH + dt.bboxY, (double) gt.bboxH + gt.bboxY) - Math.max(dt.bboxY, gt.bboxY);
        return h > 0;
    }

    /**
     * Pixels set in both, by walking the two lists of foreground intervals. pycocotools walks all runs and counts the
     * union as well; the union is area + area - intersection, the same integer.
     */
    private static long intersectionArea(Rle p, Rle q) {
        int[] a = p.counts, b = q.counts;
        int ia = 1, ib = 1;
        long aStart = a[0], bStart = b.length > 0 ? b[0] : 0;
        long inter = 0;
        while (ia < a.length && ib < b.length) {
            long aEnd = aStart + a[ia], bEnd = bStart + b[ib];
            long lo = Math.max(aStart, bStart), hi = Math.min(aEnd, bEnd);
            if (hi > lo) {
                inter += hi - lo;
            }
            if (aEnd <= bEnd) {
                aStart = aEnd + (ia + 1 < a.length ? a[ia + 1] : 0);
                ia += 2;
            } else {
                bStart = bEnd + (ib + 1 < b.length ? b[ib + 1] : 0);
                ib += 2;
            }
        }
        return inter;
    }

    /** One step of pycocotools' rleMerge, verbatim in behaviour (including zero-length runs it may emit). */
    private static int mergeRuns(int[] a, int[] b, boolean intersect, int[] out) {
        long ca = a[0], cb = b[0], cc = 0, ct = 1;
        boolean va = false, vb = false, v = false;
        int ia = 1, ib = 1, m = 0;
        while (ct > 0) {
            long c = Math.min(ca, cb);
            cc += c;
            ct = 0;
            ca -= c;
            if (ca == 0 && ia < a.length) {
                ca = a[ia++];
                va = !va;
            }
            ct += ca;
            cb -= c;
            if (cb == 0 && ib < b.length) {
                cb = b[ib++];
                vb = !vb;
            }
            ct += cb;
            boolean vp = v;
            v = intersect ? va && vb : va || vb;
            if (v != vp || ct == 0) {
                out[m++] = (int) cc;
                cc = 0;
            }
        }
        return m;
    }

    /** rleToBbox with its unsigned 32-bit arithmetic (which only matters for odd hand-made runs such as [0, 0, n]). */
    private static long[] computeBbox(int h, int w, int[] cnts) {
        int m = (cnts.length / 2) * 2; // a trailing zero run does not matter
        if (m == 0 || h == 0) {
            return new long[4];
        }
        long xs = w, ys = h, xe = 0, ye = 0, cc = 0, xp = 0;
        for (int j = 0; j < m; j++) {
            cc += cnts[j];
            long t = (cc - (j % 2)) & 0xFFFFFFFFL;
            long y = t % h, x = (t - y) / h;
            if (j % 2 == 0) {
                xp = x;
            } else if (xp < x) {
                ys = 0; // a run of ones crossing a column boundary covers the full height
                ye = h - 1;
            }
            xs = Math.min(xs, x);
            xe = Math.max(xe, x);
            ys = Math.min(ys, y);
            ye = Math.max(ye, y);
        }
        // uint arithmetic in pycocotools: wrap the sizes to 32 bits like C does
        return new long[] {xs, ys, (xe - xs + 1) & 0xFFFFFFFFL, (ye - ys + 1) & 0xFFFFFFFFL};
    }

    private static Rle validated(int h, int w, int[] c) {
        long sum = 0;
        for (int x : c) {
            sum += x;
        }
        if (sum != (long) h * w) {
            throw new IllegalArgumentException(
                    "RLE runs add up to " + sum + " pixels but the mask is " + h + "x" + w + " = " + ((long) h * w));
        }
        return new Rle(h, w, c);
    }

    private static void checkSize(int h, int w) {
        if (h < 0 || w < 0 || (long) h * w > MAX_PIXELS) {
            throw new IllegalArgumentException("unsupported mask size " + h + "x" + w);
        }
    }

    /** A growable list of ints. */
    private static final class IntList {
        private int[] values = new int[256];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int[] toSortedArray() {
            int[] a = Arrays.copyOf(values, size);
            Arrays.sort(a);
            return a;
        }
    }
}
