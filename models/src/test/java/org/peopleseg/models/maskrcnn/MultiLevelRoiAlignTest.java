package org.peopleseg.models.maskrcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Multi-level RoIAlign through ONNX Runtime: which level each box is pooled from (LevelMapper, seen through
 * feature maps filled with their level number), the pooled values against torchvision.ops.MultiScaleRoIAlign
 * (roi_align.json from tools/fixtures/maskrcnn/make_unit_fixtures.py; sampling_ratio 2, aligned=False), results
 * back in the boxes' order, and zero boxes giving [0, C, S, S].
 */
class MultiLevelRoiAlignTest {
    private static final MaskRcnnConfig.RoiAlign BOX_ROI = new MaskRcnnConfig.RoiAlign(7, 2, false, 2, 5, 224, 4);

    @Test
    void boxesGoToTheirCanonicalLevels() throws Exception {
        int image = 1024;
        float[][] boxes = {
                {100, 100, 324, 324},   // 224 x 224 -> 4
                {10, 20, 122, 132},     // 112 x 112 -> 3
                {50, 60, 498, 508},     // 448 x 448 -> 5
                {5, 5, 9, 9},           // 4 x 4, tiny -> 2 (min)
                {10, 10, 1010, 1010},   // 1000 x 1000, huge -> 5 (max; the formula says 6)
                {300, 300, 300, 340},   // zero area -> 2
                {0, 0, 223, 223},       // just under 224 -> 3
                {0, 0, 224, 112},       // sqrt(area) 158 -> 3
                {0, 0, 111, 111},       // just under 112 -> 2
                {0, 0, 447, 447},       // just under 448 -> 4
        };
        int[] want = {4, 3, 5, 2, 5, 2, 3, 3, 2, 4};
        List<float[]> maps = new ArrayList<>();
        for (int level = 2; level <= 5; level++) {
            int s = image >> level;
            float[] m = new float[s * s];
            java.util.Arrays.fill(m, level);
            maps.add(m);
        }
        PartGraph.Value out = pool(BOX_ROI, maps, 1, image, flat(boxes));
        assertArrayEquals(new long[] {boxes.length, 1, 7, 7}, out.shape());
        for (int r = 0; r < boxes.length; r++) {
            for (int i = 0; i < 49; i++) {
                assertEquals(want[r], out.floats()[r * 49 + i], 1e-5, "box " + r + " " + java.util.Arrays.toString(boxes[r])
                        + " pooled from the wrong level");
            }
        }
    }

    @Test
    void pooledValuesEqualMultiScaleRoIAlign() throws Exception {
        JsonNode fix = PartGraph.fixture("roi_align.json");
        int image = fix.get("image_size").asInt();
        int channels = fix.get("channels").asInt();
        List<float[]> maps = new ArrayList<>();
        for (int level = 2; level <= 5; level++) {
            maps.add(feature(level, channels, image >> level, image >> level));
        }
        float[] boxes = PartGraph.floats(fix.get("boxes"));
        PartGraph.Value out = pool(BOX_ROI, maps, channels, image, boxes);
        int r = boxes.length / 4;
        assertArrayEquals(new long[] {r, channels, 7, 7}, out.shape());
        // The fixture's boxes cover every level (its LevelMapper's answer is recorded): the comparison means something.
        assertArrayEquals(new long[] {4, 3, 5, 2, 5, 2, 3, 4, 2, 2}, PartGraph.longs(fix.get("levels")));
        float[] want = PartGraph.floats(fix.get("pooled"));
        int per = channels * 49;
        for (int i = 0; i < r; i++) {
            float[] g = java.util.Arrays.copyOfRange(out.floats(), i * per, (i + 1) * per);
            float[] w = java.util.Arrays.copyOfRange(want, i * per, (i + 1) * per);
            PartGraph.assertClose(w, g, 0, 1e-5, "box " + i + " (level " + fix.get("levels").get(i) + ")");
        }
    }

    @Test
    void zeroBoxesGiveAnEmptyBatch() throws Exception {
        int image = 256, channels = 3;
        List<float[]> maps = new ArrayList<>();
        for (int level = 2; level <= 5; level++) {
            maps.add(feature(level, channels, image >> level, image >> level));
        }
        MaskRcnnConfig.RoiAlign maskRoi = new MaskRcnnConfig.RoiAlign(14, 2, false, 2, 5, 224, 4);
        PartGraph.Value out = pool(maskRoi, maps, channels, image, new float[0]);
        assertArrayEquals(new long[] {0, channels, 14, 14}, out.shape());
        assertEquals(0, out.floats().length);
    }

    /** The fixture's formula: ((x*7 + y*13 + c*5 + level*3) % 17) / 17 - 0.5 + 0.01*level in double, then float. */
    static float[] feature(int level, int channels, int h, int w) {
        float[] v = new float[channels * h * w];
        int k = 0;
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    v[k++] = (float) (((x * 7 + y * 13 + c * 5 + level * 3) % 17) / 17.0 - 0.5 + 0.01 * level);
                }
            }
        }
        return v;
    }

    private static PartGraph.Value pool(MaskRcnnConfig.RoiAlign cfg, List<float[]> maps, int channels, int image, float[] boxes)
            throws Exception {
        PartGraph p = new PartGraph();
        List<String> levels = new ArrayList<>();
        Map<String, PartGraph.Feed> feeds = new HashMap<>();
        for (int i = 0; i < maps.size(); i++) {
            int level = 2 + i, s = image >> level;
            levels.add(p.floatInput("p" + level, 4));
            feeds.put("p" + level, PartGraph.Feed.of(PartGraph.shape(1, channels, s, s), maps.get(i)));
        }
        String rois = p.floatInput("rois", 2);
        feeds.put("rois", PartGraph.Feed.of(PartGraph.shape(boxes.length / 4, 4), boxes));
        p.floatOutput(MultiLevelRoiAlign.build(p.ops(), cfg, levels, 2, channels, rois), "pooled", 4);
        return p.run(feeds).get("pooled");
    }

    private static float[] flat(float[][] boxes) {
        float[] out = new float[boxes.length * 4];
        for (int i = 0; i < boxes.length; i++) {
            System.arraycopy(boxes[i], 0, out, i * 4, 4);
        }
        return out;
    }
}
