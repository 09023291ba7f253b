package org.peopleseg.models.tflite;

import java.util.ArrayList;
import java.util.List;

/**
 * Regenerates the input-size-dependent constants of an anchor-free detection head (YOLOv8 / YOLO11 exported to
 * TFLite) for a new input size. Ultralytics' TFLite export bakes, per anchor (levels of stride 8, 16, 32, row-major
 * cells), the normalised anchor centre {@code ((x + 0.5) * s / W, (y + 0.5) * s / H)} as a [1, 2, N] constant and
 * the normalisation {@code (s / W, s / H, s / W, s / H)} as a [1, 4, N] constant. They are recognised by value:
 * a constant is replaced only when the generator reproduces its values at the file's size (within one quantisation
 * step, or 1e-5 for float constants), so nothing is guessed.
 */
final class AnchorConstants {
    private static final int[][] STRIDE_SETS = {{8, 16, 32}, {8, 16, 32, 64}, {16, 32, 64}};

    private AnchorConstants() {}

    /** The constant's values at the new size, or null when it is not one of the known anchor constants. */
    static float[] regenerate(TfliteTensor t, float[] nativeValues, int nativeW, int nativeH, int newW, int newH) {
        int[] s = t.shape();
        if (s.length < 2) {
            return null;
        }
        int n = s[s.length - 1];
        int rows = 1;
        for (int d = 0; d < s.length - 1; d++) {
            rows *= s[d];
        }
        if (rows != 2 && rows != 4) {
            return null;
        }
        float tol = t.quantization() != null ? t.quantization().scale() * 1.01f : 1e-5f;
        for (int[] strides : STRIDE_SETS) {
            if (count(strides, nativeW, nativeH) != n) {
                continue;
            }
            for (Kind kind : Kind.values()) {
                float[] generated = generate(kind, rows, strides, nativeW, nativeH);
                if (generated != null && close(generated, nativeValues, tol)) {
                    return generate(kind, rows, strides, newW, newH);
                }
            }
        }
        return null;
    }

    private enum Kind { CENTRES, NORMS }

    private static int count(int[] strides, int w, int h) {
        int n = 0;
        for (int st : strides) {
            if (w % st != 0 || h % st != 0) {
                return -1;
            }
            n += (w / st) * (h / st);
        }
        return n;
    }

    private static float[] generate(Kind kind, int rows, int[] strides, int w, int h) {
        if (kind == Kind.CENTRES && rows != 2) {
            return null;
        }
        List<float[]> cols = new ArrayList<>();
        for (int st : strides) {
            int gw = w / st, gh = h / st;
            for (int y = 0; y < gh; y++) {
                for (int x = 0; x < gw; x++) {
                    float nx = (float) st / w, ny = (float) st / h;
                    if (kind == Kind.CENTRES) {
                        cols.add(new float[] {(x + 0.5f) * nx, (y + 0.5f) * ny});
                    } else {
                        cols.add(rows == 2 ? new float[] {nx, ny} : new float[] {nx, ny, nx, ny});
                    }
                }
            }
        }
        int n = cols.size();
        float[] out = new float[rows * n];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < rows; r++) {
                out[r * n + i] = cols.get(i)[r];
            }
        }
        return out;
    }

    private static boolean close(float[] a, float[] b, float tol) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > tol) {
                return false;
            }
        }
        return true;
    }
}
