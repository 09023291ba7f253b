package org.peopleseg.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What {@code --instances} and {@code --threads} become when one or both are left out. */
class ConcurrencyTest {
    private static String chosen(Integer instances, Integer threads, int cores) {
        Concurrency c = Concurrency.choose(instances, threads, cores);
        return c.instances() + "x" + c.threads();
    }

    @Test
    void defaultsAreOneSingleThreadInstancePerCoreAtLeastTwo() {
        assertEquals("2x1", chosen(null, null, 1));
        assertEquals("2x1", chosen(null, null, 2));
        assertEquals("16x1", chosen(null, null, 16));
        // one given: the cores shared out by it
        assertEquals("1x2", chosen(1, null, 2));
        assertEquals("3x2", chosen(3, null, 8));
        assertEquals("4x1", chosen(4, null, 2));
        assertEquals("1x2", chosen(null, 2, 2));
        assertEquals("4x2", chosen(null, 2, 8));
        assertEquals("1x4", chosen(null, 4, 2));
        assertEquals("1x0", chosen(null, 0, 8)); // ONNX Runtime's default takes every core
        // both given: as given
        assertEquals("5x3", chosen(5, 3, 2));
        assertEquals("2 instances x 1 ONNX Runtime thread", Concurrency.choose(null, null, 2).describe());
        assertEquals("", Concurrency.choose(1, 2, 2).automatic());
    }
}
