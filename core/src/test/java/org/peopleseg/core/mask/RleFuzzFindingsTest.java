package org.peopleseg.core.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What fuzzing found in the mask code (README "Fuzzing"). */
class RleFuzzFindingsTest {

    @Test
    void polygonFarOutsideItsImageIsRefusedBeforeTracing() {
        // one vertex at y = 77777733 on a 64x24 image: the traced outline used to allocate ~3 GB
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Rle.fromPolygon(new double[] {1, 32, 2, 3, 23, 33, 2, 77777733}, 24, 64));
        assertTrue(e.getMessage().startsWith("polygon outline too long"), e.getMessage());
    }

    @Test
    void polygonsAroundTheImageStillRasterise() {
        // a square a little outside a 10x10 image on every side is the whole image, as in pycocotools
        assertEquals(100, Rle.fromPolygon(new double[] {-5, -5, 15, -5, 15, 15, -5, 15}, 10, 10).area());
    }
}
