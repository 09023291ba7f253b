package org.peopleseg.models.maskrcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto.DataType;

/**
 * Grouped NMS through ONNX Runtime against torchvision.ops.batched_nms (nms.json from
 * tools/fixtures/maskrcnn/make_unit_fixtures.py: 200 dense random boxes in 3 groups, fixed seed): the same kept
 * indices in the same (descending score) order at IoU 0.5 and 0.7, the limit keeping exactly the best, and an
 * empty input giving an empty result.
 */
class GroupedNmsTest {
    private static final JsonNode FIX = PartGraph.fixture("nms.json");

    @Test
    void equalsBatchedNmsAtIou05() throws Exception {
        long[] want = PartGraph.longs(FIX.get("keep").get("0.5"));
        assertArrayEquals(want, select(0.5, 1000), "batched_nms(iou=0.5)");
        assertTrue(want.length < 150, "the fixture must really suppress (kept " + want.length + " of 200)");
    }

    @Test
    void equalsBatchedNmsAtIou07() throws Exception {
        assertArrayEquals(PartGraph.longs(FIX.get("keep").get("0.7")), select(0.7, 1000), "batched_nms(iou=0.7)");
    }

    @Test
    void limitKeepsTheBestAcrossGroups() throws Exception {
        long[] all = PartGraph.longs(FIX.get("keep").get("0.5"));
        assertArrayEquals(Arrays.copyOf(all, 50), select(0.5, 50), "batched_nms(iou=0.5)[:50]");
        assertArrayEquals(Arrays.copyOf(all, 1), select(0.5, 1), "batched_nms(iou=0.5)[:1]");
        // A limit above the survivors' count keeps them all.
        assertArrayEquals(all, select(0.5, all.length + 1));
    }

    @Test
    void emptyInputGivesEmptyOutput() throws Exception {
        PartGraph.Value out = run(new float[0], new float[0], new float[0], 3, 0.5, 100);
        assertArrayEquals(new long[] {0}, out.shape());
        assertEquals(0, out.longs().length);
    }

    @Test
    void allSuppressedButOnePerGroup() throws Exception {
        // Three identical boxes in group 0, two in group 1: one survivor each, best score first overall.
        float[] boxes = {0, 0, 10, 10, 0, 0, 10, 10, 0, 0, 10, 10, 0, 0, 10, 10, 0, 0, 10, 10};
        float[] scores = {0.3f, 0.9f, 0.1f, 0.5f, 0.95f};
        float[] groups = {0, 0, 0, 1, 1};
        assertArrayEquals(new long[] {4, 1}, run(boxes, scores, groups, 2, 0.5, 10).longs());
        // Zero scores are still candidates (the "other group" marker is -1, below the -0.5 cut).
        assertArrayEquals(new long[] {0}, run(new float[] {0, 0, 1, 1}, new float[] {0}, new float[] {0}, 2, 0.5, 10).longs());
    }

    private static long[] select(double iou, int limit) throws Exception {
        float[] groups = PartGraph.floats(FIX.get("groups"));
        return run(PartGraph.floats(FIX.get("boxes")), PartGraph.floats(FIX.get("scores")), groups, 3, iou, limit).longs();
    }

    private static PartGraph.Value run(float[] boxes, float[] scores, float[] groups, int nGroups, double iou, int limit)
            throws Exception {
        PartGraph p = new PartGraph();
        String b = p.floatInput("boxes", 2);
        String s = p.floatInput("scores", 1);
        String g = p.floatInput("groups", 1);
        p.output(GroupedNms.select(p.ops(), b, s, g, nGroups, iou, limit), "keep", DataType.INT64, 1);
        int n = scores.length;
        return p.run(Map.of("boxes", PartGraph.Feed.of(PartGraph.shape(n, 4), boxes),
                "scores", PartGraph.Feed.of(PartGraph.shape(n), scores),
                "groups", PartGraph.Feed.of(PartGraph.shape(n), groups))).get("keep");
    }
}
