package org.peopleseg.core.dataset;

import java.util.List;
import org.peopleseg.core.mask.Rle;

/**
 * A {@code segmentation} as written in COCO JSON, kept in its written form until a mask is needed: box-only
 * evaluation and the KPIs on boxes never pay for rasterising polygons.
 *
 * <p>{@link #toRle(int, int)} follows pycocotools' {@code annToRLE}: polygons are rasterised at the image size and
 * their parts merged; RLEs keep their own {@code size}.
 */
public sealed interface CocoSegmentation {

    /** The mask as COCO RLE; {@code imageHeight}/{@code imageWidth} are used only to rasterise polygons. */
    Rle toRle(int imageHeight, int imageWidth);

    /**
     * The {@code [height, width]} an RLE declares, or null for polygons (which take the image's size). A mask whose
     * size differs from its image can never overlap anything (pycocotools gives IoU -1), almost always a swapped
     * height and width, so the readers reject it.
     */
    int[] declaredSize();

    /**
     * One or more polygons {@code [x1,y1,x2,y2,...]}, each closed implicitly; the mask is their union. (As in
     * pycocotools, a list whose first part has exactly 4 numbers is read as {@code [x,y,w,h]} boxes.)
     */
    record Polygons(List<double[]> parts) implements CocoSegmentation {
        public Polygons {
            parts = List.copyOf(parts);
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("a polygon segmentation needs at least one polygon");
            }
        }

        @Override
        public Rle toRle(int imageHeight, int imageWidth) {
            return Rle.fromPolygons(parts, imageHeight, imageWidth);
        }

        @Override
        public int[] declaredSize() {
            return null;
        }
    }

    /** {@code {"size":[h,w], "counts":[n0, n1, ...]}}: run lengths, column-major, starting with zeros (crowd GT). */
    record UncompressedRle(int height, int width, long[] counts) implements CocoSegmentation {
        @Override
        public Rle toRle(int imageHeight, int imageWidth) {
            return Rle.fromUncompressed(height, width, counts);
        }

        @Override
        public int[] declaredSize() {
            return new int[] {height, width};
        }
    }

    /** {@code {"size":[h,w], "counts":"..."}}: pycocotools' compressed string (results files, some GT). */
    record CompressedRle(int height, int width, String counts) implements CocoSegmentation {
        @Override
        public Rle toRle(int imageHeight, int imageWidth) {
            return Rle.fromCompressedString(height, width, counts);
        }

        @Override
        public int[] declaredSize() {
            return new int[] {height, width};
        }
    }

    /** A mask already encoded in memory (a model's output); carries its own size. */
    record RleMask(Rle rle) implements CocoSegmentation {
        @Override
        public Rle toRle(int imageHeight, int imageWidth) {
            return rle;
        }

        @Override
        public int[] declaredSize() {
            return new int[] {rle.height(), rle.width()};
        }
    }
}
