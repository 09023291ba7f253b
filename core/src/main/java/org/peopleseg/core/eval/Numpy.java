package org.peopleseg.core.eval;

/**
 * The few numpy operations COCOeval's numbers depend on, reproduced to the bit: identical results need identical
 * threshold values ({@code linspace}), identical tie order ({@code argsort(kind='mergesort')}), identical lookup
 * ({@code searchsorted}) and identical rounding of the final means ({@code mean} sums pairwise).
 */
final class Numpy {
    /** numpy's {@code PW_BLOCKSIZE}: below it the pairwise sum runs 8 accumulators. */
    private static final int PAIRWISE_BLOCK = 128;

    private Numpy() {
    }

    /**
     * {@code np.linspace(start, stop, num)} (numpy 1.24): {@code i * step + start} with
     * {@code step = (stop - start) / (num - 1)} and the last value set to {@code stop}. So
     * {@code linspace(.5, .95, 10)[8]} is {@code 0.8999999999999999}, not {@code 0.9}.
     */
    static double[] linspace(double start, double stop, int num) {
        double[] y = new double[num];
        if (num == 1) {
            y[0] = start;
            return y;
        }
        int div = num - 1;
        double delta = stop - start;
        double step = delta / div;
        for (int i = 0; i < num; i++) {
            y[i] = step == 0 ? (i / (double) div) * delta + start : i * step + start;
        }
        y[num - 1] = stop;
        return y;
    }

    /**
     * {@code np.argsort(-scores, kind='mergesort')}: indices by descending score, equal scores in input order.
     * Compares with {@code <} like numpy, so {@code 0.0} and {@code -0.0} tie.
     */
    static int[] argsortDescendingStable(double[] scores) {
        int n = scores.length;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        if (n < 2) {
            return idx;
        }
        int[] buf = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo, j = mid, k = lo;
                while (i < mid && j < hi) {
                    // take from the right run only when strictly greater: stability
                    buf[k++] = scores[idx[j]] > scores[idx[i]] ? idx[j++] : idx[i++];
                }
                while (i < mid) {
                    buf[k++] = idx[i++];
                }
                while (j < hi) {
                    buf[k++] = idx[j++];
                }
            }
            int[] t = idx;
            idx = buf;
            buf = t;
        }
        return idx;
    }

    /** {@code np.searchsorted(a, v, side='left')} on an ascending {@code a[0..n)}: the first i with a[i] >= v. */
    static int searchsortedLeft(double[] a, int n, double v) {
        int lo = 0, hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** {@code np.mean} of a contiguous float64 array: numpy's pairwise sum divided by the count; NaN when empty. */
    static double mean(double[] a, int n) {
        return (0.0 + pairwiseSum(a, 0, n)) / n;
    }

    /** numpy's {@code DOUBLE_pairwise_sum} (loops_utils.h): 8-way unrolled blocks of up to 128, halves above. */
    static double pairwiseSum(double[] a, int from, int n) {
        if (n < 8) {
            double res = 0.;
            for (int i = 0; i < n; i++) {
                res += a[from + i];
            }
            return res;
        } else if (n <= PAIRWISE_BLOCK) {
            double r0 = a[from], r1 = a[from + 1], r2 = a[from + 2], r3 = a[from + 3];
            double r4 = a[from + 4], r5 = a[from + 5], r6 = a[from + 6], r7 = a[from + 7];
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                r0 += a[from + i];
                r1 += a[from + i + 1];
                r2 += a[from + i + 2];
                r3 += a[from + i + 3];
                r4 += a[from + i + 4];
                r5 += a[from + i + 5];
                r6 += a[from + i + 6];
                r7 += a[from + i + 7];
            }
            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) {
                res += a[from + i];
            }
            return res;
        } else {
            int n2 = n / 2;
            n2 -= n2 % 8;
            return pairwiseSum(a, from, n2) + pairwiseSum(a, from + n2, n - n2);
        }
    }
}
