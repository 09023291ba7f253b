package org.peopleseg.core.match;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearAssignmentTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void emptyMatrices() {
        assertArrayEquals(new int[0], LinearAssignment.solve(new double[0][0]));
        assertArrayEquals(new int[] {-1, -1}, LinearAssignment.solve(new double[2][0]));
    }

    @Test
    void oneByOne() {
        assertArrayEquals(new int[] {0}, LinearAssignment.solve(new double[][] {{3.5}}));
        assertArrayEquals(new int[] {0}, LinearAssignment.solve(new double[][] {{-2}}));
        assertArrayEquals(new int[] {-1}, LinearAssignment.solve(new double[][] {{INF}}));
    }

    @Test
    void classicSquare() {
        // optimum 1 + 2 + 2 = 5 (rows → cols 1, 0, 2)
        double[][] c = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
        assertArrayEquals(new int[] {1, 0, 2}, LinearAssignment.solve(c));
    }

    @Test
    void rectangularBothWays() {
        double[][] wide = {{5, 1, 9}, {1, 5, 9}};
        assertArrayEquals(new int[] {1, 0}, LinearAssignment.solve(wide));
        double[][] tall = {{5, 1}, {1, 7}, {0, 3}};
        // row 0 → col 1 (1) and row 2 → col 0 (0) = 1 beats rows 0 and 1 (1 + 1 = 2)
        assertArrayEquals(new int[] {1, -1, 0}, LinearAssignment.solve(tall));
    }

    @Test
    void forbiddenPairsFavourMoreAllowedPairs() {
        // Taking (0,0) at cost 0 would leave row 1 only a forbidden column; two allowed pairs cost 10 + 10.
        double[][] c = {{0, 10}, {10, INF}};
        assertArrayEquals(new int[] {1, 0}, LinearAssignment.solve(c));
        // Row 1 has only forbidden pairs: it is left unassigned, row 0 takes its best column.
        double[][] d = {{3, 1}, {INF, INF}};
        assertArrayEquals(new int[] {1, -1}, LinearAssignment.solve(d));
        double[][] all = {{INF, INF}, {INF, INF}};
        assertArrayEquals(new int[] {-1, -1}, LinearAssignment.solve(all));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> LinearAssignment.solve(new double[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> LinearAssignment.solve(new double[][] {{Double.NaN}}));
        assertThrows(IllegalArgumentException.class,
                () -> LinearAssignment.solve(new double[][] {{Double.NEGATIVE_INFINITY}}));
    }

    @Test
    void matchesBruteForceOnRandomMatrices() {
        Random random = new Random(20240611L);
        for (int trial = 0; trial < 3000; trial++) {
            int rows = random.nextInt(7);
            int cols = random.nextInt(7);
            double infShare = trial % 3 == 0 ? 0 : random.nextDouble() * 0.6;
            boolean integers = trial % 2 == 0; // integer costs make many ties
            double[][] c = new double[rows][cols];
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < cols; k++) {
                    c[r][k] = random.nextDouble() < infShare ? INF
                            : integers ? random.nextInt(5) - 1 : random.nextDouble() * 100 - 20;
                }
            }
            int[] got = LinearAssignment.solve(c);
            assertEquals(rows, got.length);
            boolean[] colUsed = new boolean[cols];
            int pairs = 0;
            for (int r = 0; r < rows; r++) {
                if (got[r] >= 0) {
                    assertTrue(got[r] < cols);
                    assertTrue(!colUsed[got[r]], "column used twice");
                    colUsed[got[r]] = true;
                    assertNotEquals(INF, c[r][got[r]], "forbidden pair assigned");
                    pairs++;
                }
            }
            Best best = new Best();
            brute(c, 0, new boolean[cols], 0, 0, best);
            assertEquals(best.pairs, pairs, "allowed pairs, trial " + trial);
            assertEquals(best.cost, total(c, got), 1e-9, "total cost, trial " + trial);
        }
    }

    private static double total(double[][] c, int[] assignment) {
        double sum = 0;
        for (int r = 0; r < assignment.length; r++) {
            if (assignment[r] >= 0) {
                sum += c[r][assignment[r]];
            }
        }
        return sum;
    }

    private static final class Best {
        int pairs = -1;
        double cost;
    }

    /** Every partial injection rows → cols ∪ {none}: most allowed pairs first, then least cost. */
    private static void brute(double[][] c, int row, boolean[] used, int pairs, double cost, Best best) {
        if (row == c.length) {
            if (pairs > best.pairs || pairs == best.pairs && cost < best.cost) {
                best.pairs = pairs;
                best.cost = cost;
            }
            return;
        }
        brute(c, row + 1, used, pairs, cost, best);
        for (int k = 0; k < used.length; k++) {
            if (!used[k] && c[row][k] != INF) {
                used[k] = true;
                brute(c, row + 1, used, pairs + 1, cost + c[row][k], best);
                used[k] = false;
            }
        }
    }
}
