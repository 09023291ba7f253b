package org.peopleseg.core.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.peopleseg.core.SharedData;

/**
 * Every case of the pycocotools reference fixtures in {@code shared/fixtures/coco-eval/rle}: the codec, area,
 * toBbox, IoU, merge, box and polygon rasterisation must match byte for byte and bit for bit (doubles compared with
 * {@code assertEquals(double, double)} without tolerance).
 */
class RleFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode fixture(String name) throws IOException {
        Path file = SharedData.resolve("fixtures/coco-eval/rle/" + name);
        return JSON.readTree(file.toFile());
    }

    @TestFactory
    List<DynamicTest> syntheticMasks() throws IOException {
        JsonNode root = fixture("synthetic_masks.json");
        Map<String, Rle> byName = new HashMap<>();
        List<DynamicTest> tests = new ArrayList<>();
        for (String group : List.of("masks", "partner_masks")) {
            for (JsonNode m : root.get(group)) {
                byName.put(m.get("name").asText(), Rle.fromCompressedString(
                        m.get("shape").get(0).asInt(), m.get("shape").get(1).asInt(), m.get("counts").asText()));
                tests.add(dynamicTest(group + " " + m.get("name").asText(), () -> checkMask(m)));
            }
        }
        int i = 0;
        for (JsonNode t : root.get("iou_tests")) {
            tests.add(dynamicTest("iou_tests[" + i++ + "] " + t.get("dt") + " vs " + t.get("gt"), () -> checkIou(t, byName)));
        }
        i = 0;
        for (JsonNode t : root.get("box_iou_tests")) {
            tests.add(dynamicTest("box_iou_tests[" + i++ + "] crowd=" + t.get("iscrowd"), () -> {
                double[][] dts = doubles2(t.get("dt")), gts = doubles2(t.get("gt"));
                boolean[] crowd = flags(t.get("iscrowd"));
                for (int d = 0; d < dts.length; d++) {
                    for (int g = 0; g < gts.length; g++) {
                        assertEquals(t.get("iou").get(d).get(g).asDouble(), Rle.bboxIou(dts[d], gts[g], crowd[g]),
                                "dt " + d + " gt " + g);
                    }
                }
            }));
        }
        i = 0;
        for (JsonNode t : root.get("merge_tests")) {
            tests.add(dynamicTest("merge_tests[" + i++ + "] " + t.get("inputs") + " intersect=" + t.get("intersect"), () -> {
                List<Rle> in = new ArrayList<>();
                t.get("inputs").forEach(n -> in.add(byName.get(n.asText())));
                Rle merged = Rle.merge(in, t.get("intersect").asBoolean());
                assertEquals(t.get("counts").asText(), merged.toCompressedString());
                assertEquals(t.get("area").asLong(), merged.area());
            }));
        }
        i = 0;
        for (JsonNode t : root.get("box_to_rle")) {
            tests.add(dynamicTest("box_to_rle[" + i++ + "] " + t.get("bbox"), () -> {
                int h = t.get("h").asInt(), w = t.get("w").asInt();
                Rle r = Rle.fromBbox(doubles(t.get("bbox")), h, w);
                assertEquals(t.get("counts").asText(), r.toCompressedString());
                assertEquals(t.get("area").asLong(), r.area());
                assertArrayEquals(doubles(t.get("bbox_out")), r.toBbox());
                assertEquals(bitmap(t.get("rows"), h, w), r.decode());
            }));
        }
        for (JsonNode t : root.get("synthetic_polygons")) {
            tests.add(dynamicTest("synthetic_polygons " + t.get("name").asText(), () -> checkPolygons(t, t.get("h").asInt(),
                    t.get("w").asInt(), false)));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> realMasks() throws IOException {
        JsonNode root = fixture("real_masks.json");
        Map<String, Rle> byName = new HashMap<>();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode m : root.get("masks")) {
            byName.put(m.get("name").asText(), Rle.encode(bitmap(m.get("rows"), m.get("shape").get(0).asInt(),
                    m.get("shape").get(1).asInt())));
            tests.add(dynamicTest("masks " + m.get("name").asText(), () -> checkMask(m)));
        }
        int i = 0;
        for (JsonNode t : root.get("iou_tests")) {
            tests.add(dynamicTest("iou_tests[" + i++ + "] " + t.get("dt") + " vs " + t.get("gt") + " crowd="
                    + t.get("iscrowd"), () -> checkIou(t, byName)));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> polygons() throws IOException {
        JsonNode root = fixture("polygons.json");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode t : root.get("polygons")) {
            tests.add(dynamicTest("polygons ann " + t.get("ann_id").asLong(), () -> checkPolygons(t, t.get("h").asInt(),
                    t.get("w").asInt(), true)));
        }
        for (JsonNode t : root.get("uncompressed_rle")) {
            tests.add(dynamicTest("uncompressed_rle ann " + t.get("ann_id").asLong(), () -> {
                int h = t.get("size").get(0).asInt(), w = t.get("size").get(1).asInt();
                Rle r = Rle.fromUncompressed(h, w, longs(t.get("uncompressed_counts")));
                assertEquals(t.get("counts").asText(), r.toCompressedString());
                assertEquals(t.get("area").asLong(), r.area());
                assertArrayEquals(doubles(t.get("bbox")), r.toBbox());
                assertEquals(r, Rle.fromCompressedString(h, w, t.get("counts").asText()));
                assertEquals(r, Rle.encode(r.decode()));
            }));
        }
        return tests;
    }

    /** Encode from the bitmap, decode from the string, and all the derived numbers. */
    private static void checkMask(JsonNode m) {
        int h = m.get("shape").get(0).asInt(), w = m.get("shape").get(1).asInt();
        BitMask bits = bitmap(m.get("rows"), h, w);
        Rle enc = Rle.encode(bits);
        assertArrayEquals(longs(m.get("uncompressed_counts")), enc.counts(), "uncompressed counts");
        assertEquals(m.get("counts").asText(), enc.toCompressedString(), "compressed string");
        assertEquals(m.get("area").asLong(), enc.area(), "area");
        assertArrayEquals(doubles(m.get("bbox")), enc.toBbox(), "toBbox");
        Rle parsed = Rle.fromCompressedString(h, w, m.get("counts").asText());
        assertEquals(enc, parsed);
        assertEquals(enc, Rle.fromUncompressed(h, w, longs(m.get("uncompressed_counts"))));
        assertEquals(bits, parsed.decode());
        assertEquals(m.get("area").asLong(), bits.area());
    }

    private static void checkIou(JsonNode t, Map<String, Rle> byName) {
        List<Rle> dts = new ArrayList<>(), gts = new ArrayList<>();
        t.get("dt").forEach(n -> dts.add(byName.get(n.asText())));
        t.get("gt").forEach(n -> gts.add(byName.get(n.asText())));
        double[][] iou = Rle.iou(dts, gts, flags(t.get("iscrowd")));
        for (int d = 0; d < dts.size(); d++) {
            for (int g = 0; g < gts.size(); g++) {
                assertEquals(t.get("iou").get(d).get(g).asDouble(), iou[d][g], "dt " + d + " gt " + g);
            }
        }
    }

    private static void checkPolygons(JsonNode t, int h, int w, boolean perPartNumbers) {
        List<double[]> parts = new ArrayList<>();
        t.get("polygons").forEach(p -> parts.add(doubles(p)));
        for (int i = 0; i < parts.size(); i++) {
            Rle part = Rle.fromPolygon(parts.get(i), h, w);
            assertEquals(t.get("part_counts").get(i).asText(), part.toCompressedString(), "part " + i);
            if (perPartNumbers) {
                assertEquals(t.get("part_areas").get(i).asLong(), part.area(), "part " + i + " area");
                assertArrayEquals(doubles(t.get("part_bboxes").get(i)), part.toBbox(), "part " + i + " bbox");
            }
        }
        Rle merged = Rle.fromPolygons(parts, h, w);
        assertEquals(t.get("merged_counts").asText(), merged.toCompressedString(), "merged");
        assertEquals(t.get("merged_area").asLong(), merged.area(), "merged area");
        assertArrayEquals(doubles(t.get("merged_bbox")), merged.toBbox(), "merged bbox");
        if (t.has("merged_rows")) {
            assertEquals(bitmap(t.get("merged_rows"), h, w), merged.decode());
        }
    }

    static BitMask bitmap(JsonNode rows, int h, int w) {
        assertEquals(h, rows.size(), "rows");
        byte[] px = new byte[h * w];
        for (int y = 0; y < h; y++) {
            String row = rows.get(y).asText();
            assertEquals(w, row.length(), "row " + y);
            for (int x = 0; x < w; x++) {
                px[y * w + x] = (byte) (row.charAt(x) == '1' ? 1 : 0);
            }
        }
        return new BitMask(w, h, px);
    }

    private static long[] longs(JsonNode a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asLong();
        }
        return out;
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    private static double[][] doubles2(JsonNode a) {
        double[][] out = new double[a.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubles(a.get(i));
        }
        return out;
    }

    private static boolean[] flags(JsonNode a) {
        boolean[] out = new boolean[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt() != 0;
        }
        return out;
    }
}
