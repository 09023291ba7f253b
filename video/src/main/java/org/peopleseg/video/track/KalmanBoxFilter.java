package org.peopleseg.video.track;

import org.peopleseg.core.geometry.Box;

/**
 * Constant-velocity Kalman filter on one box, the motion model of the tracker.
 *
 * <p>State {@code (cx, cy, a, h, vcx, vcy, va, vh)}: centre, aspect ratio {@code a = w / h}, height and their
 * velocities in pixels (or aspect units) per frame; the measurement is {@code (cx, cy, a, h)}. This is the
 * parameterisation and noise model of DeepSORT (Wojke et al. 2017) as used by ByteTrack (Zhang et al. 2022): the
 * position and velocity noise standard deviations are proportional to the box height (weights 1/20 and 1/160), so one
 * set of constants works for people near and far, while the aspect ratio gets small fixed noise because a person's
 * shape changes slowly. SORT (Bewley et al. 2016) used scale/area instead of height; the height form is the better
 * conditioned one for upright people.
 *
 * <p>One {@link #predict()} is one frame. Matrices are flat row-major arrays with scratch space kept in the instance,
 * so predict and update allocate nothing. Heights under 1 pixel count as 1 for the aspect ratio and the noise scale,
 * so degenerate boxes cannot make the innovation covariance singular. Not thread-safe.
 */
public final class KalmanBoxFilter {
    /** Position noise per unit of box height (ByteTrack's {@code _std_weight_position}). */
    public static final double STD_WEIGHT_POSITION = 1.0 / 20;
    /** Velocity noise per unit of box height (ByteTrack's {@code _std_weight_velocity}). */
    public static final double STD_WEIGHT_VELOCITY = 1.0 / 160;

    private static final int N = 8;
    private static final int M = 4;
    /** Heights below this (degenerate boxes) are treated as this for the aspect ratio and the noise scale. */
    private static final double MIN_HEIGHT = 1.0;

    private final double[] x = new double[N];
    private final double[] p = new double[N * N];
    // scratch
    private final double[] tmp = new double[N * N];
    private final double[] s = new double[M * M];
    private final double[] l = new double[M * M];
    private final double[] k = new double[N * M];
    private final double[] innovation = new double[M];

    /** Starts a track at {@code box} with zero velocity and a wide velocity uncertainty. */
    public KalmanBoxFilter(Box box) {
        toMeasurement(box, x);
        double h = noiseScale(x[3]);
        double[] std = {
            2 * STD_WEIGHT_POSITION * h, 2 * STD_WEIGHT_POSITION * h, 1e-2, 2 * STD_WEIGHT_POSITION * h,
            10 * STD_WEIGHT_VELOCITY * h, 10 * STD_WEIGHT_VELOCITY * h, 1e-5, 10 * STD_WEIGHT_VELOCITY * h
        };
        for (int i = 0; i < N; i++) {
            p[i * N + i] = std[i] * std[i];
        }
    }

    /** Advances the state one frame. */
    public void predict() {
        predict(false);
    }

    /**
     * Advances the state one frame: {@code x = F x}, {@code P = F P F' + Q}.
     *
     * @param holdHeight zero the height velocity first; ByteTrack does this for lost tracks so a box that is not
     *                   being observed keeps moving but does not keep growing or shrinking
     */
    public void predict(boolean holdHeight) {
        if (holdHeight) {
            x[7] = 0;
        }
        double h = noiseScale(x[3]);
        for (int i = 0; i < M; i++) {
            x[i] += x[i + M];
        }
        // tmp = F P  (F = [[I, I], [0, I]])
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                tmp[i * N + j] = i < M ? p[i * N + j] + p[(i + M) * N + j] : p[i * N + j];
            }
        }
        // P = tmp F'
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                p[i * N + j] = j < M ? tmp[i * N + j] + tmp[i * N + j + M] : tmp[i * N + j];
            }
        }
        // Q: position and velocity noise proportional to the height, small fixed noise on the aspect ratio
        double sp = STD_WEIGHT_POSITION * h, sv = STD_WEIGHT_VELOCITY * h;
        for (int i = 0; i < N; i++) {
            double std = i == 2 ? 1e-2 : i == 6 ? 1e-5 : i < M ? sp : sv;
            p[i * N + i] += std * std;
        }
    }

    /** The state projected to measurement space: mean {@code (cx, cy, a, h)} and its 4x4 covariance (row-major). */
    public record Projection(double[] mean, double[] covariance) {
        public Box box() {
            return toBox(mean[0], mean[1], mean[2], mean[3]);
        }
    }

    /** {@code H x} and {@code H P H' + R}: what the filter expects the next measurement to be, and how sure it is. */
    public Projection project() {
        projectCovariance();
        double[] mean = {x[0], x[1], x[2], x[3]};
        return new Projection(mean, s.clone());
    }

    /** Corrects the state with a measured box (standard Kalman update, Cholesky solve of the 4x4 innovation covariance). */
    public void update(Box measurement) {
        double mcx = (measurement.x1() + measurement.x2()) / 2, mcy = (measurement.y1() + measurement.y2()) / 2;
        double mh = measurement.height();
        innovation[0] = mcx - x[0];
        innovation[1] = mcy - x[1];
        innovation[2] = measurement.width() / Math.max(mh, MIN_HEIGHT) - x[2];
        innovation[3] = mh - x[3];
        projectCovariance();
        cholesky();
        // Kalman gain K = P H' S^-1; row i of K is S^-1 P[i, 0:4]' (S symmetric)
        for (int i = 0; i < N; i++) {
            solveCholesky(p, i * N, k, i * M);
        }
        // P -= K S K' = (P H') K' since K S = P H'; computed into tmp before P changes
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                double v = 0;
                for (int c = 0; c < M; c++) {
                    v += p[i * N + c] * k[j * M + c];
                }
                tmp[i * N + j] = v;
            }
        }
        for (int i = 0; i < N; i++) {
            double dx = 0;
            for (int j = 0; j < M; j++) {
                dx += k[i * M + j] * innovation[j];
            }
            x[i] += dx;
        }
        // keep P exactly symmetric (rounding would otherwise let it drift over thousands of frames)
        for (int i = 0; i < N; i++) {
            for (int j = i; j < N; j++) {
                double sym = ((p[i * N + j] - tmp[i * N + j]) + (p[j * N + i] - tmp[j * N + i])) / 2;
                p[i * N + j] = sym;
                p[j * N + i] = sym;
            }
        }
    }

    /** The current state as a box (filtered, not the last measurement). */
    public Box box() {
        return toBox(x[0], x[1], x[2], x[3]);
    }

    /** Centre x of the current state. */
    public double centerX() {
        return x[0];
    }

    /** Centre y of the current state. */
    public double centerY() {
        return x[1];
    }

    /** A copy of the state {@code (cx, cy, a, h, vcx, vcy, va, vh)}. */
    public double[] state() {
        return x.clone();
    }

    /** A copy of the 8x8 state covariance, row-major. */
    public double[] covariance() {
        return p.clone();
    }

    /** {@code (cx, cy, w / h, h)} of a box; a degenerate height counts as 1 pixel for the ratio. */
    public static double[] toMeasurement(Box box) {
        double[] z = new double[M];
        toMeasurement(box, z);
        return z;
    }

    private static void toMeasurement(Box box, double[] z) {
        z[0] = (box.x1() + box.x2()) / 2;
        z[1] = (box.y1() + box.y2()) / 2;
        z[2] = box.width() / Math.max(box.height(), MIN_HEIGHT);
        z[3] = box.height();
    }

    /** The box of a centre, aspect ratio and height; negative sizes (a filter gone astray) collapse to zero. */
    public static Box toBox(double cx, double cy, double a, double h) {
        double hh = Math.max(h, 0);
        double w = Math.max(a * hh, 0);
        return new Box(cx - w / 2, cy - hh / 2, cx + w / 2, cy + hh / 2);
    }

    private static double noiseScale(double h) {
        return Math.max(h, MIN_HEIGHT);
    }

    /** s = H P H' + R with R from the current height. */
    private void projectCovariance() {
        double sp = STD_WEIGHT_POSITION * noiseScale(x[3]);
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < M; j++) {
                s[i * M + j] = p[i * N + j];
            }
            double std = i == 2 ? 1e-1 : sp; // R: aspect ratio measured to 0.1, positions to h / 20
            s[i * M + i] += std * std;
        }
    }

    /** l = lower Cholesky factor of s (s is symmetric positive definite: P is PSD and R is positive). */
    private void cholesky() {
        for (int i = 0; i < M; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = s[i * M + j];
                for (int c = 0; c < j; c++) {
                    sum -= l[i * M + c] * l[j * M + c];
                }
                if (i == j) {
                    l[i * M + i] = Math.sqrt(Math.max(sum, 1e-12));
                } else {
                    l[i * M + j] = sum / l[j * M + j];
                }
            }
            for (int j = i + 1; j < M; j++) {
                l[i * M + j] = 0;
            }
        }
    }

    /** out[outOff..+4] = S^-1 b with b = src[srcOff..+4], using l. */
    private void solveCholesky(double[] src, int srcOff, double[] out, int outOff) {
        // forward: L y = b
        for (int i = 0; i < M; i++) {
            double v = src[srcOff + i];
            for (int c = 0; c < i; c++) {
                v -= l[i * M + c] * out[outOff + c];
            }
            out[outOff + i] = v / l[i * M + i];
        }
        // backward: L' z = y
        for (int i = M - 1; i >= 0; i--) {
            double v = out[outOff + i];
            for (int c = i + 1; c < M; c++) {
                v -= l[c * M + i] * out[outOff + c];
            }
            out[outOff + i] = v / l[i * M + i];
        }
    }
}
