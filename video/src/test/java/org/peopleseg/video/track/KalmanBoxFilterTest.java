package org.peopleseg.video.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.peopleseg.core.geometry.Box;

class KalmanBoxFilterTest {

    private static Box truth(int frame) {
        // 40 x 120 person walking 3 px right and 1.5 px down per frame
        double x = 100 + 3 * frame, y = 50 + 1.5 * frame;
        return new Box(x, y, x + 40, y + 120);
    }

    @Test
    void constantVelocityIsPredictedAfterAFewUpdates() {
        KalmanBoxFilter f = new KalmanBoxFilter(truth(0));
        for (int frame = 1; frame <= 8; frame++) {
            f.predict();
            f.update(truth(frame));
        }
        double[] s = f.state();
        assertEquals(3, s[4], 0.3, "x velocity");
        assertEquals(1.5, s[5], 0.3, "y velocity");
        for (int ahead = 1; ahead <= 3; ahead++) {
            f.predict();
            assertBoxNear(truth(8 + ahead), f.box(), 1.5 * ahead);
        }
    }

    @Test
    void tracksExactlyOnceConverged() {
        KalmanBoxFilter f = new KalmanBoxFilter(truth(0));
        for (int frame = 1; frame <= 40; frame++) {
            f.predict();
            assertBoxNear(truth(frame), f.project().box(), frame > 15 ? 0.2 : 60);
            f.update(truth(frame));
        }
    }

    @Test
    void covarianceStaysSymmetricPositiveDefinite() {
        KalmanBoxFilter f = new KalmanBoxFilter(truth(0));
        for (int frame = 1; frame <= 500; frame++) {
            f.predict(frame % 7 == 0);
            if (frame % 5 != 0) { // some frames without a measurement
                // jittery measurements
                Box t = truth(frame);
                double j = (frame * 7919 % 11) - 5;
                f.update(new Box(t.x1() + j, t.y1() - j / 2, t.x2() + j / 3, t.y2() + j));
            }
            assertSymmetricPositiveDefinite(f.covariance(), 8);
        }
        double[] proj = f.project().covariance();
        assertSymmetricPositiveDefinite(proj, 4);
    }

    @Test
    void updateShrinksUncertaintyAndPredictGrowsIt() {
        KalmanBoxFilter f = new KalmanBoxFilter(truth(0));
        f.predict();
        double before = f.covariance()[0];
        f.update(truth(1));
        double after = f.covariance()[0];
        assertTrue(after < before, after + " < " + before);
        f.predict();
        assertTrue(f.covariance()[0] > after);
    }

    @Test
    void holdHeightStopsTheBoxGrowing() {
        KalmanBoxFilter f = new KalmanBoxFilter(new Box(0, 0, 50, 100));
        for (int i = 1; i <= 10; i++) {
            f.predict();
            f.update(new Box(0, 0, 50 + i * 2.5, 100 + i * 5));
        }
        double h = f.box().height();
        for (int i = 0; i < 5; i++) {
            f.predict(true);
        }
        assertEquals(h, f.box().height(), 1e-9);
    }

    @Test
    void boxConversionRoundTrips() {
        Box b = new Box(10, 20, 50, 120);
        double[] z = KalmanBoxFilter.toMeasurement(b);
        assertEquals(30, z[0]);
        assertEquals(70, z[1]);
        assertEquals(0.4, z[2], 1e-12);
        assertEquals(100, z[3]);
        assertEquals(b, KalmanBoxFilter.toBox(z[0], z[1], z[2], z[3]));
        assertEquals(b, new KalmanBoxFilter(b).box());
        // a degenerate box survives
        KalmanBoxFilter d = new KalmanBoxFilter(new Box(5, 5, 5, 5));
        d.predict();
        d.update(new Box(5, 5, 6, 5));
        assertTrue(Double.isFinite(d.box().x1()));
    }

    static void assertBoxNear(Box want, Box got, double tol) {
        double[] a = want.toXyxy(), b = got.toXyxy();
        for (int i = 0; i < 4; i++) {
            assertEquals(a[i], b[i], tol, "corner " + i + ": want " + want + " got " + got);
        }
    }

    private static void assertSymmetricPositiveDefinite(double[] p, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(p[i * n + j], p[j * n + i], 0, "symmetry at " + i + "," + j);
            }
        }
        // Cholesky succeeds with positive pivots
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = p[i * n + j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i * n + k] * l[j * n + k];
                }
                if (i == j) {
                    assertTrue(sum > 0, "pivot " + i + " = " + sum);
                    l[i * n + i] = Math.sqrt(sum);
                } else {
                    l[i * n + j] = sum / l[j * n + j];
                }
            }
        }
    }
}
