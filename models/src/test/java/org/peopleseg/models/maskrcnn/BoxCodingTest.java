package org.peopleseg.models.maskrcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto.DataType;

/**
 * Box arithmetic through ONNX Runtime against torchvision 0.14 (box_coding.json from
 * tools/fixtures/maskrcnn/make_unit_fixtures.py): BoxCoder((1,1,1,1)) and BoxCoder((10,10,5,5)) decode_single,
 * including the dw/dh clamp at log(1000/16); the box head's class-specific broadcast decode; clip_boxes_to_image;
 * remove_small_boxes.
 */
class BoxCodingTest {
    private static final JsonNode FIX = PartGraph.fixture("box_coding.json");

    @Test
    void decodeWithUnitWeightsEqualsBoxCoder() throws Exception {
        float[] got = decode(FIX.get("deltas"), FIX.get("refs"), new double[] {1, 1, 1, 1});
        PartGraph.assertClose(PartGraph.floats(FIX.get("decoded_1111")), got, 2e-6, 1e-4, "BoxCoder((1,1,1,1))");
    }

    @Test
    void decodeWithRcnnWeightsEqualsBoxCoder() throws Exception {
        float[] got = decode(FIX.get("weighted_deltas"), FIX.get("refs"), new double[] {10, 10, 5, 5});
        PartGraph.assertClose(PartGraph.floats(FIX.get("decoded_10_10_5_5")), got, 2e-6, 1e-4, "BoxCoder((10,10,5,5))");
    }

    @Test
    void decodeDividesEachDeltaByItsOwnWeight() throws Exception {
        float[] got = decode(FIX.get("deltas"), FIX.get("refs"), new double[] {2, 4, 0.5, 3});
        PartGraph.assertClose(PartGraph.floats(FIX.get("decoded_2_4_05_3")), got, 2e-6, 1e-4, "BoxCoder((2,4,0.5,3))");
    }

    @Test
    void largeLogSizeDeltasAreClampedAtLog1000Over16() throws Exception {
        assertEquals(Math.log(1000.0 / 16), BoxCoding.XFORM_CLIP, 0);
        float[] refs = {0, 0, 16, 8, 10, 10, 20, 30};
        // dw = 10 and dh = 1000 (exp would overflow float32 to infinity) both become log(62.5): 62.5x the size.
        float[] got = decode(new float[] {0, 0, 10, 1000, 0, 0, -3, 4.0f}, refs, new double[] {1, 1, 1, 1});
        assertArrayEquals(new float[] {8 - 500, 4 - 250, 8 + 500, 4 + 250}, first(got, 0), 1e-2f);
        float w1 = got[6] - got[4], h1 = got[7] - got[5];
        assertEquals(10 * Math.exp(-3), w1, 1e-5, "a negative dw is not clamped");
        assertEquals(20 * Math.exp(4), h1, 1e-3, "dh just below the clamp is kept");
        // With weights the clamp applies after the division: dw = 25 / 5 = 5 > 4.135 is clamped, 20 / 5 = 4 is not.
        float[] weighted = decode(new float[] {0, 0, 25, 20}, new float[] {0, 0, 16, 16}, new double[] {10, 10, 5, 5});
        assertEquals(1000, weighted[2] - weighted[0], 1e-2);
        assertEquals(16 * Math.exp(4), weighted[3] - weighted[1], 1e-3);
    }

    @Test
    void classSpecificDecodeBroadcastsProposalsOverClasses() throws Exception {
        // As the box head does it: deltas [R, K, 4] against proposals [R, 1, 4] -> [R, K, 4].
        int k = FIX.get("classes").asInt();
        float[] deltas = PartGraph.floats(FIX.get("class_deltas"));
        float[] refs = PartGraph.floats(FIX.get("refs"));
        int r = refs.length / 4;
        PartGraph p = new PartGraph();
        String d = p.floatInput("deltas", 3);
        String b = p.floatInput("refs", 3);
        p.floatOutput(BoxCoding.decode(p.ops(), d, b, new double[] {10, 10, 5, 5}), "boxes", 3);
        var out = p.run(Map.of("deltas", PartGraph.Feed.of(PartGraph.shape(r, k, 4), deltas),
                "refs", PartGraph.Feed.of(PartGraph.shape(r, 1, 4), refs))).get("boxes");
        assertArrayEquals(new long[] {r, k, 4}, out.shape());
        PartGraph.assertClose(PartGraph.floats(FIX.get("decoded_per_class")), out.floats(), 2e-6, 1e-4,
                "BoxCoder.decode with K=" + k);
    }

    @Test
    void clipEqualsClipBoxesToImage() throws Exception {
        JsonNode c = FIX.get("clip");
        float[] boxes = PartGraph.floats(c.get("boxes"));
        PartGraph p = new PartGraph();
        String b = p.floatInput("boxes", 2);
        String h = p.floatInput("h", 0);
        String w = p.floatInput("w", 0);
        p.floatOutput(BoxCoding.clip(p.ops(), b, h, w), "clipped", 2);
        var out = p.run(Map.of("boxes", PartGraph.Feed.of(PartGraph.shape(boxes.length / 4, 4), boxes),
                "h", PartGraph.Feed.of(PartGraph.shape(), (float) c.get("height").asDouble()),
                "w", PartGraph.Feed.of(PartGraph.shape(), (float) c.get("width").asDouble()))).get("clipped");
        assertArrayEquals(PartGraph.floats(c.get("clipped")), out.floats(), "clip_boxes_to_image(boxes, (100, 150))");
    }

    @Test
    void bigEnoughEqualsRemoveSmallBoxes() throws Exception {
        JsonNode c = FIX.get("clip");
        float[] boxes = PartGraph.floats(c.get("boxes"));
        var it = c.get("keep").fields();
        int checked = 0;
        while (it.hasNext()) {
            var e = it.next();
            double minSize = Double.parseDouble(e.getKey());
            PartGraph p = new PartGraph();
            String b = p.floatInput("boxes", 2);
            p.output(BoxCoding.bigEnough(p.ops(), b, minSize), "keep", DataType.BOOL, 1);
            boolean[] keep = p.run(Map.of("boxes", PartGraph.Feed.of(PartGraph.shape(boxes.length / 4, 4), boxes)))
                    .get("keep").bools();
            List<Long> idx = new ArrayList<>();
            for (int i = 0; i < keep.length; i++) {
                if (keep[i]) {
                    idx.add((long) i);
                }
            }
            assertEquals(toList(PartGraph.longs(e.getValue())), idx, "remove_small_boxes(boxes, " + minSize + ")");
            checked++;
        }
        assertEquals(3, checked);
        // Both sides count, and exactly min_size is big enough (>=).
        PartGraph p = new PartGraph();
        String b = p.floatInput("boxes", 2);
        p.output(BoxCoding.bigEnough(p.ops(), b, 2.0), "keep", DataType.BOOL, 1);
        boolean[] keep = p.run(Map.of("boxes", PartGraph.Feed.of(PartGraph.shape(4, 4),
                0, 0, 2, 2, 0, 0, 1.5f, 10, 0, 0, 10, 1.5f, 5, 5, 3, 9))).get("keep").bools();
        assertArrayEquals(new boolean[] {true, false, false, false}, keep);
    }

    @Test
    void areaIsWidthTimesHeight() throws Exception {
        PartGraph p = new PartGraph();
        String b = p.floatInput("boxes", 2);
        p.floatOutput(BoxCoding.area(p.ops(), b), "area", 1);
        var out = p.run(Map.of("boxes", PartGraph.Feed.of(PartGraph.shape(2, 4), 1, 2, 4, 7, 0, 0, 0, 5))).get("area");
        assertArrayEquals(new float[] {15, 0}, out.floats());
        assertTrue(out.shape().length == 1);
    }

    private static float[] decode(JsonNode deltas, JsonNode refs, double[] weights) throws Exception {
        return decode(PartGraph.floats(deltas), PartGraph.floats(refs), weights);
    }

    private static float[] decode(float[] deltas, float[] refs, double[] weights) throws Exception {
        PartGraph p = new PartGraph();
        String d = p.floatInput("deltas", 2);
        String b = p.floatInput("refs", 2);
        p.floatOutput(BoxCoding.decode(p.ops(), d, b, weights), "boxes", 2);
        var out = p.run(Map.of("deltas", PartGraph.Feed.of(PartGraph.shape(deltas.length / 4, 4), deltas),
                "refs", PartGraph.Feed.of(PartGraph.shape(refs.length / 4, 4), refs))).get("boxes");
        for (float v : out.floats()) {
            assertTrue(Float.isFinite(v), "decoded boxes must stay finite");
        }
        return out.floats();
    }

    private static float[] first(float[] a, int box) {
        return new float[] {a[box * 4], a[box * 4 + 1], a[box * 4 + 2], a[box * 4 + 3]};
    }

    private static List<Long> toList(long[] a) {
        List<Long> l = new ArrayList<>();
        for (long v : a) {
            l.add(v);
        }
        return l;
    }
}
