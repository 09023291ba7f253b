package org.peopleseg.core.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.core.SharedData;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.mask.BitMask;
import org.peopleseg.core.mask.Rle;

class ResultWritersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static BitMask rect(int w, int h, int x0, int y0, int x1, int y1) {
        byte[] px = new byte[w * h];
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                px[y * w + x] = 1;
            }
        }
        return new BitMask(w, h, px);
    }

    private static Detections sample() {
        BitMask m = rect(40, 30, 5, 6, 15, 26);
        return new Detections("street.jpg", 40, 30, List.of(
                new Instance(new Box(5.000000190734863, 6.3, 15.25, 26.0), 0.9234567880630493, 1, "person", m, 4),
                new Instance(new Box(20, 2, 39.9999, 12.0004), 0.25, 1, "person", null)));
    }

    @Test
    void resultsJsonIsACocoResultsList() throws IOException {
        Path file = dir.resolve("results.json");
        try (CocoResultsWriter out = CocoResultsWriter.open(file)) {
            out.add(7, sample());
            out.add(8, new Detections("empty.jpg", 10, 10, List.of()));
            assertFalse(Files.exists(file), "invisible until finished");
            out.finish();
            assertEquals(2, out.detectionCount());
            out.writeImages(dir.resolve("images.json"));
        }
        String text = Files.readString(file);
        assertTrue(text.startsWith("[{\"image_id\":7,\"category_id\":1,\"bbox\":[5.0,6.3,10.25,19.7],"
                + "\"score\":0.9234567880630493,\"segmentation\":{\"size\":[30,40],\"counts\":\""), text);
        JsonNode root = JSON.readTree(text);
        assertEquals(2, root.size());
        JsonNode first = root.get(0);
        Rle rle = Rle.fromCompressedString(30, 40, first.get("segmentation").get("counts").asText());
        assertEquals(sample().instances().get(0).mask(), rle.decode());
        JsonNode second = root.get(1);
        assertFalse(second.has("segmentation"));
        assertEquals("[20.0,2.0,20.0,10.0]", second.get("bbox").toString()); // 39.9999 -> 40.0, 12.0004 -> 12.0
        assertEquals(0.25, second.get("score").asDouble());

        JsonNode images = JSON.readTree(dir.resolve("images.json").toFile());
        assertEquals("[{\"id\":7,\"file_name\":\"street.jpg\",\"width\":40,\"height\":30},"
                + "{\"id\":8,\"file_name\":\"empty.jpg\",\"width\":10,\"height\":10}]", images.toString());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temporary files left");
        }
    }

    @Test
    void unfinishedResultsLeaveNothing() throws IOException {
        Path file = dir.resolve("results.json");
        try (CocoResultsWriter out = CocoResultsWriter.open(file)) {
            out.add(1, sample());
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void badInputIsRejectedWithoutCorruptingTheFile() throws IOException {
        Path file = dir.resolve("results.json");
        try (CocoResultsWriter out = CocoResultsWriter.open(file)) {
            out.add(1, sample());
            assertThrows(IllegalArgumentException.class, () -> out.add(1, sample()));
            Detections wrongSize = new Detections("x.jpg", 50, 30, sample().instances());
            assertThrows(IllegalArgumentException.class, () -> out.add(2, wrongSize));
            out.add(2, new Detections("x.jpg", 40, 30, sample().instances()));
            out.finish();
        }
        JsonNode root = JSON.readTree(file.toFile());
        assertEquals(4, root.size());
        assertEquals(2, root.get(3).get("image_id").asLong());
    }

    @Test
    void perImageJsonIsReadableAndConsistent() throws IOException {
        Path file = dir.resolve("street.json");
        PerImageJson.write(file, 7, sample());
        String text = Files.readString(file);
        assertTrue(text.contains("\n  \"instances\" : ["), text); // indented for people
        JsonNode root = JSON.readTree(text);
        List<String> fields = new ArrayList<>();
        root.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("image", "image_id", "width", "height", "instances"), fields);
        assertEquals("street.jpg", root.get("image").asText());
        JsonNode a = root.get("instances").get(0);
        Map<String, JsonNode> f = new LinkedHashMap<>();
        a.fields().forEachRemaining(e -> f.put(e.getKey(), e.getValue()));
        assertEquals(List.of("label", "category_id", "score", "track_id", "box_xyxy", "bbox_xywh", "area", "segmentation"),
                new ArrayList<>(f.keySet()));
        assertEquals("[5.0,6.3,15.25,26.0]", a.get("box_xyxy").toString());
        assertEquals("[5.0,6.3,10.25,19.7]", a.get("bbox_xywh").toString());
        assertEquals(200, a.get("area").asLong());
        JsonNode b = root.get("instances").get(1);
        assertFalse(b.has("track_id") || b.has("area") || b.has("segmentation"));
        for (JsonNode inst : root.get("instances")) {
            JsonNode xyxy = inst.get("box_xyxy"), xywh = inst.get("bbox_xywh");
            assertEquals(xyxy.get(2).asDouble(), xywh.get(0).asDouble() + xywh.get(2).asDouble(), 1e-9);
            assertEquals(xyxy.get(3).asDouble(), xywh.get(1).asDouble() + xywh.get(3).asDouble(), 1e-9);
        }
        assertEquals(text, PerImageJson.toJson(7, sample()));
    }

    /**
     * Masks decoded from the pycocotools fixture and written again give the fixture's RLE strings byte for byte: the
     * results file is what pycocotools would have written.
     */
    @Test
    void rewritingFixtureMasksReproducesPycocotoolsStrings() throws IOException {
        JsonNode fixture = JSON.readTree(SharedData.resolve("fixtures/coco-eval/dev/results_good.json").toFile());
        Path file = dir.resolve("results.json");
        List<String> expected = new ArrayList<>();
        try (CocoResultsWriter out = CocoResultsWriter.open(file)) {
            for (int i = 0; i < 60; i++) {
                JsonNode r = fixture.get(i);
                JsonNode seg = r.get("segmentation");
                int h = seg.get("size").get(0).asInt(), w = seg.get("size").get(1).asInt();
                String counts = seg.get("counts").asText();
                expected.add(counts);
                BitMask mask = Rle.fromCompressedString(h, w, counts).decode();
                JsonNode bb = r.get("bbox");
                Box box = Box.fromXywh(bb.get(0).asDouble(), bb.get(1).asDouble(), bb.get(2).asDouble(),
                        bb.get(3).asDouble());
                out.add(1000 + i, new Detections("img" + i, w, h,
                        List.of(new Instance(box, r.get("score").asDouble(), 1, "person", mask))));
            }
            out.finish();
        }
        JsonNode written = JSON.readTree(file.toFile());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), written.get(i).get("segmentation").get("counts").asText(), "detection " + i);
            assertEquals(fixture.get(i).get("score").asDouble(), written.get(i).get("score").asDouble());
        }
    }
}
