package org.peopleseg.models.maskrcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Anchors: base anchors per level (torchvision's rounded, ratio-outer cell anchors; TAO's unrounded, scale-outer
 * ones) and the full grid of a small feature map through ONNX Runtime (torchvision's order: cell-major, row then
 * column, anchors innermost). References: anchors.json from tools/fixtures/maskrcnn/make_unit_fixtures.py
 * (torchvision 0.14 AnchorGenerator).
 */
class AnchorGridTest {
    private static final JsonNode FIX = PartGraph.fixture("anchors.json");

    @Test
    void torchvisionBaseAnchorsEqualAnchorGeneratorCellAnchors() {
        MaskRcnnConfig.Anchors anchors = TestConfigs.torchvision(64, 64, 2).anchors();
        // The documented example, written out: level 32.
        assertArrayEquals(new float[] {-23, -11, 23, 11, -16, -16, 16, 16, -11, -23, 11, 23},
                AnchorGrid.baseAnchors(anchors, 0));
        JsonNode cells = FIX.get("cell_anchors");
        assertEquals(5, cells.size());
        for (int level = 0; level < 5; level++) {
            assertArrayEquals(PartGraph.floats(cells.get(level)), AnchorGrid.baseAnchors(anchors, level),
                    "cell anchors of size " + FIX.get("sizes").get(level));
        }
    }

    @Test
    void torchvisionRatioMajorOrderWithSeveralSizesPerLevel() {
        // torchvision: ws = (w_ratios[:, None] * scales[None, :]).view(-1): ratio outer, scale inner.
        MaskRcnnConfig.Anchors a = new MaskRcnnConfig.Anchors(List.<double[]>of(new double[] {32, 64}),
                List.of(new double[] {2, 0.5}, new double[] {1, 1}), true, 0, true);
        assertArrayEquals(new float[] {-32, -8, 32, 8, -64, -16, 64, 16, -16, -16, 16, 16, -32, -32, 32, 32},
                AnchorGrid.baseAnchors(a, 0));
        // torch.round is half-to-even: AnchorGenerator(((33, 35),), ((1.0,),)) gives +-16 and +-18 (torchvision 0.14).
        MaskRcnnConfig.Anchors halves = new MaskRcnnConfig.Anchors(List.<double[]>of(new double[] {33, 35}),
                List.<double[]>of(new double[] {1, 1}), true, 0, true);
        assertArrayEquals(new float[] {-16, -16, 16, 16, -18, -18, 18, 18}, AnchorGrid.baseAnchors(halves, 0));
    }

    @Test
    void taoBaseAnchorsAreScaleOuterAndNotRounded() {
        MaskRcnnConfig.Anchors tao = taoAnchors();
        assertEquals(6, tao.perCell());
        // Level 2, scale 32: aspect (1.4, 0.7) is 44.8 x 22.4, kept fractional (torchvision would round to 22, 11).
        float[] l2 = AnchorGrid.baseAnchors(tao, 0);
        assertArrayEquals(new float[] {-16, -16, 16, 16}, slice(l2, 0), 0f);
        assertArrayEquals(new float[] {-22.4f, -11.2f, 22.4f, 11.2f}, slice(l2, 1), 1e-5f);
        assertArrayEquals(new float[] {-11.2f, -22.4f, 11.2f, 22.4f}, slice(l2, 2), 1e-5f);
        // Then the second scale (32 * 2^0.5) with the same three aspects: scale outer, aspect inner.
        double s = 32 * Math.sqrt(2);
        assertArrayEquals(new float[] {(float) (-s / 2), (float) (-s / 2), (float) (s / 2), (float) (s / 2)}, slice(l2, 3), 1e-5f);
        // Every level against TAO's formula: size * aspect / 2 on each side, (scale, aspect) order.
        for (int level = 0; level < 5; level++) {
            float[] got = AnchorGrid.baseAnchors(tao, level);
            float[] want = new float[got.length];
            int k = 0;
            for (double size : tao.sizesPerLevel().get(level)) {
                for (double[] asp : tao.aspectMultipliers()) {
                    double hw = size * asp[0] / 2, hh = size * asp[1] / 2;
                    for (double v : new double[] {-hw, -hh, hw, hh}) {
                        want[k++] = (float) v;
                    }
                }
            }
            assertArrayEquals(want, got, 1e-4f, "TAO base anchors of level " + (level + 2));
        }
    }

    @Test
    void torchvisionGridEqualsAnchorGeneratorOutput() throws Exception {
        JsonNode grid = FIX.get("grid");
        int h = grid.get("feature_hw").get(0).asInt(), w = grid.get("feature_hw").get(1).asInt();
        float[] got = runGrid(TestConfigs.torchvision(64, 64, 2).anchors(), 0, grid.get("stride").asInt(), h, w);
        float[] want = PartGraph.floats(grid.get("anchors"));
        assertEquals(h * w * 3 * 4, want.length);
        assertArrayEquals(want, got, "3x5 grid at stride 8, size 32");
    }

    @Test
    void taoGridIsCentredInCells() throws Exception {
        MaskRcnnConfig.Anchors tao = taoAnchors();
        int h = 2, w = 3, stride = 16, level = 2; // level index 2 = FPN level 4, stride 16
        float[] got = runGrid(tao, level, stride, h, w);
        float[] base = AnchorGrid.baseAnchors(tao, level);
        int a = tao.perCell();
        assertEquals(h * w * a * 4, got.length);
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                float cx = (j + 0.5f) * stride, cy = (i + 0.5f) * stride;
                for (int k = 0; k < a; k++) {
                    int at = ((i * w + j) * a + k) * 4;
                    float[] want = {base[k * 4] + cx, base[k * 4 + 1] + cy, base[k * 4 + 2] + cx, base[k * 4 + 3] + cy};
                    assertArrayEquals(want, slice(got, at / 4), 1e-4f, "cell (" + i + ", " + j + ") anchor " + k);
                }
            }
        }
    }

    /** TAO conventions (models/anchors.py): anchor_scale 8, num_scales 2, aspects (1,1), (1.4,0.7), (0.7,1.4). */
    static MaskRcnnConfig.Anchors taoAnchors() {
        List<double[]> sizes = new ArrayList<>();
        for (int level = 2; level <= 6; level++) {
            sizes.add(new double[] {8 * Math.pow(2, level), 8 * Math.pow(2, level) * Math.pow(2, 0.5)});
        }
        return new MaskRcnnConfig.Anchors(sizes,
                List.of(new double[] {1.0, 1.0}, new double[] {1.4, 0.7}, new double[] {0.7, 1.4}), false, 0.5, false);
    }

    private static float[] runGrid(MaskRcnnConfig.Anchors anchors, int levelIndex, int stride, int h, int w) throws Exception {
        PartGraph p = new PartGraph();
        String feature = p.floatInput("feature", 4);
        p.floatOutput(AnchorGrid.build(p.ops(), anchors, levelIndex, feature, stride), "anchors", 2);
        var out = p.run(Map.of("feature", PartGraph.Feed.of(PartGraph.shape(1, 2, h, w), new float[2 * h * w]))).get("anchors");
        assertArrayEquals(new long[] {(long) h * w * anchors.perCell(), 4}, out.shape());
        return out.floats();
    }

    private static float[] slice(float[] boxes, int i) {
        return new float[] {boxes[i * 4], boxes[i * 4 + 1], boxes[i * 4 + 2], boxes[i * 4 + 3]};
    }
}
