package org.peopleseg.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Expected values were printed by numpy 1.24.2 (the version the coco-eval fixtures were made with). */
class NumpyTest {

    private static double[] sample(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = ((i * 7919L) % 1000) / 997.0;
        }
        return a;
    }

    @Test
    void meanSumsPairwiseLikeNumpy() {
        // a naive left-to-right sum differs in the last bits for n >= 100; numpy's pairwise sum gives these
        assertEquals(0.6399197592778334, Numpy.mean(sample(5), 5), 0.0);
        assertEquals(0.4919759277833499, Numpy.mean(sample(100), 100), 0.0);
        assertEquals(0.5020060180541625, Numpy.mean(sample(300), 300), 0.0);
        assertEquals(0.5013605171951498, Numpy.mean(sample(1010), 1010), 0.0);
    }

    @Test
    void linspaceGivesNumpysDoubles() {
        assertArrayEquals(new double[] {0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.8999999999999999, 0.95},
                Numpy.linspace(.5, .95, 10), 0.0);
        double[] rec = Numpy.linspace(0, 1, 101);
        assertEquals(101, rec.length);
        assertEquals(0.07, rec[7], 0.0);
        assertEquals(1.0, rec[100], 0.0);
    }

    @Test
    void argsortIsStableDescendingAndTiesSignedZeros() {
        // np.argsort(-np.array([0.5, 0.7, 0.5, -0.0, 0.0, 0.7, 0.1]), kind='mergesort')
        assertArrayEquals(new int[] {1, 5, 0, 2, 6, 3, 4},
                Numpy.argsortDescendingStable(new double[] {0.5, 0.7, 0.5, -0.0, 0.0, 0.7, 0.1}));
        assertArrayEquals(new int[0], Numpy.argsortDescendingStable(new double[0]));
    }

    @Test
    void searchsortedLeft() {
        double[] rc = {0, .1, .1, .3};
        int[] got = new int[5];
        double[] v = {0, .1, .2, .3, .4};
        for (int i = 0; i < v.length; i++) {
            got[i] = Numpy.searchsortedLeft(rc, rc.length, v[i]);
        }
        assertArrayEquals(new int[] {0, 1, 3, 3, 4}, got);
    }
}
