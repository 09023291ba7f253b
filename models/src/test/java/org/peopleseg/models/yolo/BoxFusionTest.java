package org.peopleseg.models.yolo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Weighted boxes fusion on cases worked by hand from the reference's definition (ZFTurbo/Weighted-Boxes-Fusion,
 * {@code weighted_boxes_fusion(..., conf_type='avg')}, equal weights): fused corners are the score-weighted mean,
 * the score the mean times min(views, members) / views; plus this class's rule of one detection per view.
 */
class BoxFusionTest {
    private static final double EPS = 1e-5;

    private static YoloSegDecoder.Candidate box(float x1, float y1, float x2, float y2, float score, int cls) {
        return new YoloSegDecoder.Candidate(x1, y1, x2, y2, score, cls, 0);
    }

    private static void assertBox(BoxFusion.Fused f, double x1, double y1, double x2, double y2, double score) {
        assertEquals(x1, f.x1(), EPS, "x1");
        assertEquals(y1, f.y1(), EPS, "y1");
        assertEquals(x2, f.x2(), EPS, "x2");
        assertEquals(y2, f.y2(), EPS, "y2");
        assertEquals(score, f.score(), EPS, "score");
    }

    @Test
    void aPersonInBothViewsGetsTheMeanScoreAndTheScoreWeightedBox() {
        // IoU of [0,0,10,10] and [1,0,11,10] = 90 / 110 = 0.82 > 0.55
        List<BoxFusion.Fused> f = BoxFusion.fuse(List.of(
                List.of(box(0, 0, 10, 10, 0.8f, 0)), List.of(box(1, 0, 11, 10, 0.6f, 0))), 0.55f);
        assertEquals(1, f.size());
        // x1 = (0.8 * 0 + 0.6 * 1) / 1.4, x2 = (0.8 * 10 + 0.6 * 11) / 1.4; score (0.8 + 0.6) / 2 * 2 / 2
        assertBox(f.get(0), 0.6 / 1.4, 0, 14.6 / 1.4, 10, 0.7);
        assertEquals(0, f.get(0).top().view());
        assertEquals(2, f.get(0).members().size());
    }

    @Test
    void aDetectionInOneViewOfTwoKeepsHalfItsScore() {
        List<BoxFusion.Fused> f = BoxFusion.fuse(List.of(List.of(), List.of(box(5, 5, 9, 9, 0.9f, 0))), 0.55f);
        assertEquals(1, f.size());
        assertBox(f.get(0), 5, 5, 9, 9, 0.45);
        assertEquals(1, f.get(0).top().view());
    }

    @Test
    void boxesAtOrBelowTheThresholdAndOtherClassesStayApart() {
        // IoU of [0,0,10,10] and [5,0,15,10] = 50 / 150 = 0.33; same box of another class never fuses
        List<BoxFusion.Fused> f = BoxFusion.fuse(List.of(
                List.of(box(0, 0, 10, 10, 0.9f, 0), box(0, 0, 10, 10, 0.7f, 1)),
                List.of(box(5, 0, 15, 10, 0.5f, 0))), 0.55f);
        assertEquals(3, f.size());
        assertBox(f.get(0), 0, 0, 10, 10, 0.45);
        assertBox(f.get(1), 0, 0, 10, 10, 0.35);
        assertEquals(1, f.get(1).cls());
        assertBox(f.get(2), 5, 0, 15, 10, 0.25);
        // IoU exactly 0.5 with a 0.5 threshold: the reference matches only above it ([0,0,10,10] vs [0,0,10,5])
        assertEquals(2, BoxFusion.fuse(List.of(List.of(box(0, 0, 10, 10, 0.9f, 0)),
                List.of(box(0, 0, 10, 5, 0.9f, 0))), 0.5f).size());
    }

    @Test
    void aClusterTakesOneDetectionPerView() {
        // A (view 0, 0.9) and A' (view 0, 0.3) overlap by IoU 0.9 but NMS kept both: two objects. B (view 1, 0.6)
        // joins A; A' may not join A + B (view 0 is taken) and starts its own cluster. The reference would have put
        // all three in one (score 0.6)
        List<BoxFusion.Fused> f = BoxFusion.fuse(List.of(
                List.of(box(0, 0, 10, 10, 0.9f, 0), box(0, 0, 10, 9, 0.3f, 0)),
                List.of(box(0, 0, 10, 11, 0.6f, 0))), 0.55f);
        assertEquals(2, f.size());
        // y2 = (0.9 * 10 + 0.6 * 11) / 1.5; score (0.9 + 0.6) / 2
        assertBox(f.get(0), 0, 0, 10, 15.6 / 1.5, 0.75);
        assertEquals(List.of(0, 1), f.get(0).members().stream().map(BoxFusion.Member::view).toList());
        assertBox(f.get(1), 0, 0, 10, 9, 0.15);
    }

    @Test
    void aMemberJoinsTheClusterWhoseFusedBoxItOverlapsMost() {
        // A [0,0,10,10] 0.9 and B [4,0,14,10] 0.8 (view 0, IoU 0.43: two clusters); C [2.5,0,12.5,10] 0.7 (view 1)
        // overlaps both above 0.55 — A by 0.6, B by 0.74 — and joins B
        List<BoxFusion.Fused> f = BoxFusion.fuse(List.of(
                List.of(box(0, 0, 10, 10, 0.9f, 0), box(4, 0, 14, 10, 0.8f, 0)),
                List.of(box(2.5f, 0, 12.5f, 10, 0.7f, 0))), 0.55f);
        assertEquals(2, f.size());
        assertBox(f.get(0), 4.95 / 1.5, 0, 19.95 / 1.5, 10, 0.75);
        assertBox(f.get(1), 0, 0, 10, 10, 0.45);
    }

    @Test
    void nothingInNothingOut() {
        assertEquals(List.of(), BoxFusion.fuse(List.of(List.of(), List.of()), 0.55f));
    }
}
