package org.peopleseg.train.net.maskrcnn;

/**
 * Mask-head targets: each positive RoI's matched ground-truth mask resampled to M x M (M = mrcnn_resolution).
 * Plain Java: targets carry no gradient.
 */
final class MaskTargets {
    private MaskTargets() {}

    /**
     * torchvision's {@code project_masks_on_boxes}: {@code roi_align(gt_mask, box, (M, M), spatial_scale=1,
     * sampling_ratio=-1 (adaptive), aligned=False)} over the full-resolution mask; soft targets.
     *
     * @param mask {@code height x width} bitmap (0/1), row-major
     * @param out receives M*M values at {@code at}
     */
    static void torchvision(byte[] mask, int height, int width, float[] box, int bi, int m, float[] out, int at) {
        RoiSampling.taps(box[4 * bi], box[4 * bi + 1], box[4 * bi + 2], box[4 * bi + 3], 1f, height, width, m, -1,
                false, (bin, cell, weight) -> {
                    if (mask[cell] != 0) {
                        out[at + bin] += weight;
                    }
                });
    }

    /**
     * TAO's rule (nvidia_tao_tf1 mask_rcnn): the GT mask is cropped to its GT box and resized to
     * {@code gtMaskSize} squared with TF {@code crop_and_resize} (bilinear, corner-aligned sampling at
     * y1 + i * (y2 - y1) / (size - 1) in normalised coordinates, so at pixel y1 * (H - 1) + ...) and zero-padded by
     * 2 (preprocess_ops.crop_gt_masks); the positive RoI is mapped into that padded crop
     * (training_ops.get_mask_targets: (roi - gt) * size / (gt extent + eps) + 2) and sampled once at the centre of
     * each of the M x M bins, bilinearly; the targets are then binarised at 0.5.
     */
    static void tao(byte[] mask, int height, int width, float[] gtBox, int gi, float[] box, int bi, int m,
                    int gtMaskSize, float[] out, int at) {
        int size = gtMaskSize;
        int padded = size + 4;
        float[] crop = new float[padded * padded];
        // TF crop_and_resize of the full mask into the GT box: boxes normalised by the image size (H, W).
        float ny1 = gtBox[4 * gi + 1] / height, nx1 = gtBox[4 * gi] / width;
        float ny2 = gtBox[4 * gi + 3] / height, nx2 = gtBox[4 * gi + 2] / width;
        for (int i = 0; i < size; i++) {
            float y = size > 1 ? ny1 * (height - 1) + i * (ny2 - ny1) * (height - 1) / (size - 1)
                    : 0.5f * (ny1 + ny2) * (height - 1);
            for (int j = 0; j < size; j++) {
                float x = size > 1 ? nx1 * (width - 1) + j * (nx2 - nx1) * (width - 1) / (size - 1)
                        : 0.5f * (nx1 + nx2) * (width - 1);
                crop[(i + 2) * padded + j + 2] = sample(mask, height, width, y, x);
            }
        }
        final float eps = 1e-8f;
        float gx1 = gtBox[4 * gi], gy1 = gtBox[4 * gi + 1], gx2 = gtBox[4 * gi + 2], gy2 = gtBox[4 * gi + 3];
        float ty = (box[4 * bi + 1] - gy1) * size / (gy2 - gy1 + eps) + 2;
        float tx = (box[4 * bi] - gx1) * size / (gx2 - gx1 + eps) + 2;
        float th = (box[4 * bi + 3] - box[4 * bi + 1]) * size / (gy2 - gy1 + eps);
        float tw = (box[4 * bi + 2] - box[4 * bi]) * size / (gx2 - gx1 + eps);
        for (int i = 0; i < m; i++) {
            float y = ty + (i + 0.5f) * th / m - 0.5f;
            for (int j = 0; j < m; j++) {
                float x = tx + (j + 0.5f) * tw / m - 0.5f;
                out[at + i * m + j] = sampleCrop(crop, padded, y, x) >= 0.5f ? 1f : 0f;
            }
        }
    }

    /** Bilinear value of a 0/1 mask at (y, x), 0 outside (TF's extrapolation value). */
    private static float sample(byte[] mask, int h, int w, float y, float x) {
        if (y < 0 || y > h - 1 || x < 0 || x > w - 1) {
            return 0f;
        }
        int y0 = (int) Math.floor(y), x0 = (int) Math.floor(x);
        int y1 = Math.min(y0 + 1, h - 1), x1 = Math.min(x0 + 1, w - 1);
        float ly = y - y0, lx = x - x0;
        float top = (mask[y0 * w + x0] != 0 ? 1 - lx : 0) + (mask[y0 * w + x1] != 0 ? lx : 0);
        float bottom = (mask[y1 * w + x0] != 0 ? 1 - lx : 0) + (mask[y1 * w + x1] != 0 ? lx : 0);
        return top * (1 - ly) + bottom * ly;
    }

    /** Bilinear value of the padded crop, clamped to its border (the border is the zero padding). */
    private static float sampleCrop(float[] crop, int n, float y, float x) {
        y = Math.min(Math.max(y, 0f), n - 1);
        x = Math.min(Math.max(x, 0f), n - 1);
        int y0 = (int) Math.floor(y), x0 = (int) Math.floor(x);
        int y1 = Math.min(y0 + 1, n - 1), x1 = Math.min(x0 + 1, n - 1);
        float ly = y - y0, lx = x - x0;
        float top = crop[y0 * n + x0] * (1 - lx) + crop[y0 * n + x1] * lx;
        float bottom = crop[y1 * n + x0] * (1 - lx) + crop[y1 * n + x1] * lx;
        return top * (1 - ly) + bottom * ly;
    }
}
