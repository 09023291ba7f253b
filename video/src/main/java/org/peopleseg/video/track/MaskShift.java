package org.peopleseg.video.track;

import java.util.Arrays;
import org.peopleseg.core.mask.BitMask;

/**
 * Moves a mask by whole pixels, for frames the model did not see: the tracker carries a person's last mask along with
 * the predicted motion of the box instead of re-segmenting. Pixels moved outside the image are dropped, uncovered
 * pixels are 0; the image size stays the same.
 */
public final class MaskShift {
    private MaskShift() {
    }

    /**
     * {@code mask} moved {@code dx} pixels right and {@code dy} down (negative: left / up). Returns {@code mask} itself
     * when both are 0 (masks are immutable); otherwise one new full-size mask, filled run by run.
     */
    public static BitMask translate(BitMask mask, int dx, int dy) {
        if (dx == 0 && dy == 0) {
            return mask;
        }
        int w = mask.width(), h = mask.height();
        byte[] out = new byte[w * h];
        if (Math.abs((long) dx) >= w || Math.abs((long) dy) >= h) {
            return new BitMask(w, h, out);
        }
        mask.forEachRowRun((y, x0, x1) -> {
            int ny = y + dy;
            if (ny < 0 || ny >= h) {
                return;
            }
            int nx0 = Math.max(0, x0 + dx), nx1 = Math.min(w, x1 + dx);
            if (nx0 < nx1) {
                Arrays.fill(out, ny * w + nx0, ny * w + nx1, (byte) 1);
            }
        });
        return new BitMask(w, h, out);
    }
}
