package org.peopleseg.optimize.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationCacheTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsAndIsIgnoredForAnotherModelImagesOrValues() throws Exception {
        TensorStats s = new TensorStats();
        s.add(FloatBuffer.wrap(new float[] {-2f, 0.5f, 3f, 7f, 0f}));
        Path f = dir.resolve("c.json");
        CalibrationCache.write(f, "m1", "i1", 5, Map.of("a", s));
        TensorStats back = CalibrationCache.read(f, "m1", "i1", Set.of("a")).orElseThrow().get("a");
        assertEquals(s.min(), back.min(), 0);
        assertEquals(s.max(), back.max(), 0);
        assertEquals(s.count(), back.count());
        assertEquals(s.range(), back.range(), 0);
        assertArrayEquals(s.positive(), back.positive());
        assertArrayEquals(s.negative(), back.negative());
        for (CalibrationMethod m : CalibrationMethod.values()) {
            assertEquals(m.quant(s), m.quant(back), m.name());
        }
        assertTrue(CalibrationCache.read(f, "m2", "i1", Set.of("a")).isEmpty(), "another model");
        assertTrue(CalibrationCache.read(f, "m1", "i2", Set.of("a")).isEmpty(), "other images");
        assertTrue(CalibrationCache.read(f, "m1", "i1", Set.of("a", "b")).isEmpty(), "a value not cached");
        Files.writeString(f, "{broken");
        assertTrue(CalibrationCache.read(f, "m1", "i1", Set.of("a")).isEmpty(), "a damaged cache is recomputed");
    }
}
