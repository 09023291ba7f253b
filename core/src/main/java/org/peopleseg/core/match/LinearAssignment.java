package org.peopleseg.core.match;

import java.util.Arrays;

/**
 * Minimum-cost rectangular assignment (the Hungarian method in its shortest-augmenting-path form, as in Jonker &amp;
 * Volgenant), O(n²·m) for n = min(rows, cols) and m = max(rows, cols).
 *
 * <p>Used wherever a one-to-one matching must be optimal rather than greedy: CLEAR-MOT's per-frame correspondence,
 * IDF1's global trajectory matching, per-frame detection precision and recall.
 *
 * <p>{@link Double#POSITIVE_INFINITY} marks a forbidden pair. Forbidden pairs are replaced by one finite penalty
 * larger than any sum of the finite costs, the full problem is solved, and pairs that landed on a penalty are
 * dropped (their row gets -1). Because one penalty outweighs every difference between finite totals, the result
 * is the maximum-cardinality set of allowed pairs and, among those, the one with minimal total cost — the same
 * convention as scipy/py-motmetrics ("add expensive edges, then drop them"). The penalty is only as large as the
 * costs require, so for ordinary costs (distances, IoU complements) no precision is lost; costs spanning many orders
 * of magnitude (around 1e15 times their smallest difference) can make ties between nearly equal totals inexact.
 */
public final class LinearAssignment {
    private LinearAssignment() {
    }

    /**
     * @param cost rows × cols, rectangular (every row the same length); finite values or +∞ for forbidden pairs
     * @return for each row the assigned column, or -1 when the row is unassigned (more rows than columns, or only
     *         forbidden pairs left for it)
     * @throws IllegalArgumentException for ragged rows, NaN or −∞
     */
    public static int[] solve(double[][] cost) {
        int rows = cost.length;
        int cols = rows == 0 ? 0 : cost[0].length;
        int[] result = new int[rows];
        Arrays.fill(result, -1);
        if (rows == 0 || cols == 0) {
            for (double[] row : cost) {
                checkRow(row, cols);
            }
            return result;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] row : cost) {
            checkRow(row, cols);
            for (double c : row) {
                if (Double.isNaN(c) || c == Double.NEGATIVE_INFINITY) {
                    throw new IllegalArgumentException("cost must be finite or +Infinity, got " + c);
                }
                if (c != Double.POSITIVE_INFINITY) {
                    lo = Math.min(lo, c);
                    hi = Math.max(hi, c);
                }
            }
        }
        if (lo == Double.POSITIVE_INFINITY) {
            return result; // everything forbidden
        }
        // Shift finite costs to [0, range]; every complete assignment has the same number of pairs, so the shift
        // does not change the optimum. With k pairs, any total of finite costs is at most k·range < penalty.
        int k = Math.min(rows, cols);
        double range = hi - lo;
        double penalty = (k + 1) * (range + 1.0);
        boolean transpose = rows > cols;
        int n = transpose ? cols : rows;
        int m = transpose ? rows : cols;
        double[][] a = new double[n][m];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = cost[r][c];
                double shifted = v == Double.POSITIVE_INFINITY ? penalty : v - lo;
                if (transpose) {
                    a[c][r] = shifted;
                } else {
                    a[r][c] = shifted;
                }
            }
        }
        int[] colOfRow = solveFinite(a, n, m);
        for (int i = 0; i < n; i++) {
            int j = colOfRow[i];
            int r = transpose ? j : i;
            int c = transpose ? i : j;
            if (cost[r][c] != Double.POSITIVE_INFINITY) {
                result[r] = c;
            }
        }
        return result;
    }

    private static void checkRow(double[] row, int cols) {
        if (row == null || row.length != cols) {
            throw new IllegalArgumentException("cost matrix must be rectangular: a row has "
                    + (row == null ? "null" : row.length + " columns") + ", expected " + cols);
        }
    }

    /** Shortest augmenting paths with row/column potentials; requires n ≤ m, returns the column of every row. */
    private static int[] solveFinite(double[][] a, int n, int m) {
        // 1-based, column 0 is the virtual start of each augmenting path
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] rowOfCol = new int[m + 1];
        int[] way = new int[m + 1];
        double[] minv = new double[m + 1];
        boolean[] used = new boolean[m + 1];
        for (int i = 1; i <= n; i++) {
            rowOfCol[0] = i;
            int j0 = 0;
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            do {
                used[j0] = true;
                int i0 = rowOfCol[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = -1;
                for (int j = 1; j <= m; j++) {
                    if (!used[j]) {
                        double cur = a[i0 - 1][j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) {
                        u[rowOfCol[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (rowOfCol[j0] != 0);
            do {
                int j1 = way[j0];
                rowOfCol[j0] = rowOfCol[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] colOfRow = new int[n];
        for (int j = 1; j <= m; j++) {
            if (rowOfCol[j] != 0) {
                colOfRow[rowOfCol[j] - 1] = j - 1;
            }
        }
        return colOfRow;
    }
}
