package org.peopleseg.models.yolo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.mask.BitMask;

class YoloSegDecoderTest {
    /** Raw output for n anchors, 2 classes, 1 coefficient: columns given as {cx, cy, w, h, s0, s1, coef}. */
    private static float[] raw(float[][] anchors) {
        int n = anchors.length, rows = anchors[0].length;
        float[] d = new float[rows * n];
        for (int a = 0; a < n; a++) {
            for (int r = 0; r < rows; r++) {
                d[r * n + a] = anchors[a][r];
            }
        }
        return d;
    }

    @Test
    void decodeKeepsTheBestClassAboveThresholdAndNmsIsClassAware() {
        float[] det = raw(new float[][] {
                {0.5f, 0.5f, 0.5f, 0.5f, 0.9f, 0.1f, 1},   // person, box 50..150 of 200
                {0.52f, 0.5f, 0.5f, 0.5f, 0.8f, 0.2f, 1},  // overlaps the first: suppressed
                {0.52f, 0.5f, 0.5f, 0.5f, 0.1f, 0.7f, 1},  // same place, other class: kept
                {0.1f, 0.1f, 0.1f, 0.1f, 0.2f, 0.1f, 1}}); // below threshold
        List<YoloSegDecoder.Candidate> c = YoloSegDecoder.decode(det, 4, 2, 200, 100, 0.25f);
        assertEquals(3, c.size());
        YoloSegDecoder.Candidate top = c.get(0);
        assertEquals(50f, top.x1(), 1e-4);
        assertEquals(25f, top.y1(), 1e-4);
        assertEquals(150f, top.x2(), 1e-4);
        assertEquals(75f, top.y2(), 1e-4);
        List<YoloSegDecoder.Candidate> kept = YoloSegDecoder.nms(c, YoloSegDecoder.NMS_IOU, 300);
        assertEquals(2, kept.size());
        assertEquals(0, kept.get(0).cls());
        assertEquals(1, kept.get(1).cls());
        assertEquals(2, kept.get(1).anchor());
        assertEquals(1, YoloSegDecoder.nms(c, YoloSegDecoder.NMS_IOU, 1).size());
    }

    @Test
    void maskIsCroppedToTheBoxAndFollowsThePrototypeSign() {
        // 4x4 prototypes, one coefficient: positive on the left half, negative on the right half
        int hp = 4, wp = 4;
        float[] protos = new float[hp * wp];
        for (int r = 0; r < hp; r++) {
            for (int c = 0; c < wp; c++) {
                protos[r * wp + c] = c < 2 ? 1f : -1f;
            }
        }
        // network 16x16 (stride 4), image 32x32 (2 image pixels per network pixel)
        Box box = new Box(2, 2, 30, 20);
        BitMask m = YoloSegDecoder.mask(protos, hp, wp, 1, new float[] {2f}, box, 0.5, 0.5, 4, 4, 32, 32);
        assertTrue(m.get(5, 10));
        assertFalse(m.get(28, 10), "right half is negative");
        assertFalse(m.get(5, 25), "below the box");
        assertFalse(m.get(1, 10), "left of the box");
        // the boundary lies at the middle of the image (prototype column 2 starts at network x 8 = image x 16)
        assertTrue(m.get(14, 10));
        assertFalse(m.get(17, 10));
        BitMask negated = YoloSegDecoder.mask(protos, hp, wp, 1, new float[] {-1f}, box, 0.5, 0.5, 4, 4, 32, 32);
        assertTrue(negated.get(28, 10));
        assertFalse(negated.get(5, 10));
    }
}
