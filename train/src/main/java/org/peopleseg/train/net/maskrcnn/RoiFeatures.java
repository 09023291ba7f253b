package org.peopleseg.train.net.maskrcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.FloatBuffer;
import java.util.List;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;

/**
 * torchvision's MultiScaleRoIAlign with gradients to the features. DJL's PyTorch engine has no RoIAlign, and the
 * sampling positions depend only on the (detached) boxes, so pooling is linear in the features: all pooled levels
 * are laid out as one table [cells, C] (level, image, row, column) and the pooled RoIs are one sparse COO matrix
 * [R * S * S, cells] of bilinear taps ({@link RoiSampling}) times that table. Its backward is the transposed
 * sparse product, which libtorch does natively; outputs match torchvision's {@code roi_align} to ~1e-6.
 *
 * <p>Level of a box: floor(k0 + log2(sqrt(area) / s0 + 1e-6)) clamped to [minLevel, maxLevel] (torchvision's
 * LevelMapper, float32; the ONNX graph adds the 1e-6 outside the log, which differs only for boxes within 1e-6 of
 * a level boundary).
 */
final class RoiFeatures {
    private final MaskRcnnConfig.RoiAlign cfg;
    private final NDArray table;
    private final int images;
    private final int[] heights;
    private final int[] widths;
    private final long[] offsets;
    private final long cells;
    private final long channels;

    /** @param levels FPN outputs [N, C, H, W] from level {@code fpnMinLevel} up */
    RoiFeatures(List<NDArray> levels, int fpnMinLevel, MaskRcnnConfig.RoiAlign cfg) {
        this.cfg = cfg;
        int n = cfg.maxLevel() - cfg.minLevel() + 1;
        heights = new int[n];
        widths = new int[n];
        offsets = new long[n];
        NDList parts = new NDList();
        long at = 0;
        int imgs = 0;
        long c = 0;
        for (int i = 0; i < n; i++) {
            NDArray f = levels.get(cfg.minLevel() + i - fpnMinLevel);
            Shape s = f.getShape();
            imgs = (int) s.get(0);
            c = s.get(1);
            heights[i] = (int) s.get(2);
            widths[i] = (int) s.get(3);
            offsets[i] = at;
            at += s.get(0) * s.get(2) * s.get(3);
            parts.add(f.transpose(0, 2, 3, 1).reshape(-1, c));
        }
        images = imgs;
        cells = at;
        channels = c;
        table = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
    }

    /** Pyramid level (absolute) of a box, torchvision's LevelMapper. */
    int level(float x1, float y1, float x2, float y2) {
        float area = (x2 - x1) * (y2 - y1);
        float s = (float) Math.sqrt(area);
        float v = s / cfg.canonicalScale() + 1e-6f;
        float lvl = (float) Math.floor((float) (cfg.canonicalLevel() + (float) (Math.log(v) / Math.log(2))));
        return (int) Math.min(Math.max(lvl, cfg.minLevel()), cfg.maxLevel());
    }

    /**
     * @param rois [R * 4] boxes in input pixels
     * @param imageOf image index of each RoI
     * @return [R, C, S, S], in the step's manager
     */
    NDArray pool(NDManager step, float[] rois, int[] imageOf) {
        int r = imageOf.length;
        int s = cfg.outputSize();
        int bins = s * s;
        Coo coo = new Coo(r * bins * 16);
        for (int k = 0; k < r; k++) {
            float x1 = rois[4 * k], y1 = rois[4 * k + 1], x2 = rois[4 * k + 2], y2 = rois[4 * k + 3];
            int li = level(x1, y1, x2, y2) - cfg.minLevel();
            int h = heights[li], w = widths[li];
            long base = offsets[li] + (long) imageOf[k] * h * w;
            long rowBase = (long) k * bins;
            RoiSampling.taps(x1, y1, x2, y2, 1f / (1 << (cfg.minLevel() + li)), h, w, s, cfg.samplingRatio(),
                    cfg.aligned(), (bin, cell, weight) -> {
                        if (weight != 0f) {
                            coo.add(rowBase + bin, base + cell, weight);
                        }
                    });
        }
        if (coo.size == 0) {
            return step.zeros(new Shape(r, channels, s, s));
        }
        return sparse(step, coo, (long) r * bins).matMul(table).reshape(r, s, s, channels).transpose(0, 3, 1, 2);
    }

    /**
     * The COO matrix, built from torch-owned copies of its indices and values. Not {@code NDManager.createCoo}:
     * DJL 0.36 makes the sparse tensor over two from-blob arrays and closes them at once, which frees their Java
     * buffers while the sparse tensor (saved by autograd for the backward pass) still points into them - the
     * gradients then read freed memory (seen here as run-to-run different backbone gradients).
     */
    private NDArray sparse(NDManager step, Coo coo, long rows) {
        long[] idx = new long[2 * coo.size];
        System.arraycopy(coo.rows, 0, idx, 0, coo.size);
        System.arraycopy(coo.cols, 0, idx, coo.size, coo.size);
        NDArray indices = step.create(idx, new Shape(2, coo.size)).duplicate();
        NDArray values = step.create(FloatBuffer.wrap(coo.values, 0, coo.size), new Shape(coo.size)).duplicate();
        return JniUtils.createSparseCoo((PtNDArray) indices, (PtNDArray) values, new Shape(rows, cells));
    }

    int images() {
        return images;
    }

    /** A growable COO triple list. */
    private static final class Coo {
        long[] rows;
        long[] cols;
        float[] values;
        int size;

        Coo(int capacity) {
            rows = new long[Math.max(capacity, 16)];
            cols = new long[rows.length];
            values = new float[rows.length];
        }

        void add(long row, long col, float v) {
            if (size == rows.length) {
                rows = java.util.Arrays.copyOf(rows, size * 2);
                cols = java.util.Arrays.copyOf(cols, size * 2);
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            rows[size] = row;
            cols[size] = col;
            values[size++] = v;
        }

    }
}
