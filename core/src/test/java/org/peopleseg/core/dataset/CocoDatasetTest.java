package org.peopleseg.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.peopleseg.core.SharedData;

class CocoDatasetTest {

    private static final String MINIMAL = """
            {"images": [
               {"id": 802, "file_name": "a.jpg", "width": 424, "height": 640, "camera_height": "10ft",
                "meta": {"source": "cam-3", "floor": 2}, "tags": ["x"]},
               {"id": 804, "file_name": "b.jpg", "width": 100, "height": 50}],
             "annotations": [
               {"id": 1, "image_id": 802, "category_id": 1, "bbox": [1.5, 2, 30, 40], "area": 1000.25, "iscrowd": 0,
                "segmentation": [[1.5, 2, 31.5, 2, 31.5, 42, 1.5, 42]]},
               {"id": 900100000544, "image_id": 802, "category_id": 1, "bbox": [0, 0, 10, 10], "area": 50,
                "iscrowd": 1, "segmentation": {"size": [640, 424], "counts": [5, 10, 271345]}},
               {"id": 3, "image_id": 804, "category_id": 1, "bbox": [0, 0, 4, 5],
                "segmentation": {"size": [50, 100], "counts": ":d0Zk4"}},
               {"id": 4, "image_id": 804, "category_id": 1, "bbox": [1, 1, 2, 2], "segmentation": []}],
             "categories": [{"id": 1, "name": "person", "supercategory": "person"}]}
            """;

    @Test
    void readsAllCocoForms() throws IOException {
        CocoDataset ds = CocoDataset.parse(MINIMAL, "mini.json");
        assertEquals(2, ds.images().size());
        assertEquals(4, ds.annotations().size());
        CocoImage a = ds.image(802).orElseThrow();
        assertEquals("a.jpg", a.fileName());
        assertEquals(424, a.width());
        assertEquals(Optional.of("10ft"), a.field("camera_height"));
        assertEquals(Optional.of("cam-3"), a.field("meta.source"));
        assertEquals(Optional.of("2"), a.field("meta.floor"));
        assertEquals(Optional.of("424"), a.field("width"));
        assertFalse(a.field("tags").isPresent());
        CocoAnnotation crowd = ds.annotations().get(1);
        assertEquals(900100000544L, crowd.id());
        assertTrue(crowd.crowd());
        assertInstanceOf(CocoSegmentation.UncompressedRle.class, crowd.segmentation());
        assertEquals(10, crowd.segmentation().toRle(640, 424).area());
        assertInstanceOf(CocoSegmentation.Polygons.class, ds.annotations().get(0).segmentation());
        assertEquals(1000.25, ds.annotations().get(0).area(), 0.0);
        assertEquals(new CocoBox(1.5, 2, 30, 40), ds.annotations().get(0).bbox());
        assertInstanceOf(CocoSegmentation.CompressedRle.class, ds.annotations().get(2).segmentation());
        assertEquals(20.0, ds.annotations().get(2).area(), 0.0); // no 'area': the box's w * h
        assertEquals(20, ds.annotations().get(2).segmentation().toRle(50, 100).area());
        assertNull(ds.annotations().get(3).segmentation()); // "segmentation": [] is no mask
        assertFalse(ds.hasMasks());
        assertEquals(2, ds.annotationsOf(802).size());
        assertTrue(ds.annotationsOf(12345).isEmpty());
    }

    @Test
    void errorsNameTheFileAndTheEntry() {
        assertError("mini.json: annotations[0] (id 1): 'bbox' must be [x, y, width, height], got [1,2,3]",
                MINIMAL.replace("[1.5, 2, 30, 40]", "[1, 2, 3]"));
        assertError("mini.json: annotations[2] (id 3): image_id 999 is not in 'images'",
                MINIMAL.replace("\"image_id\": 804, \"category_id\": 1, \"bbox\": [0, 0, 4, 5]",
                        "\"image_id\": 999, \"category_id\": 1, \"bbox\": [0, 0, 4, 5]"));
        assertError("mini.json: images[1] (id 802): duplicate image id", MINIMAL.replace("\"id\": 804", "\"id\": 802"));
        assertError("mini.json: annotations[3] (id 1): duplicate annotation id (also annotations[0])",
                MINIMAL.replace("{\"id\": 4,", "{\"id\": 1,"));
        assertError("mini.json: annotations[0] (id 1): category_id 2 is not in 'categories'",
                MINIMAL.replace("\"image_id\": 802, \"category_id\": 1, \"bbox\": [1.5",
                        "\"image_id\": 802, \"category_id\": 2, \"bbox\": [1.5"));
        assertError("mini.json: images[0] (id 802): missing 'height'", MINIMAL.replace("\"height\": 640,", ""));
        assertError("mini.json: annotations[1] (id 900100000544): RLE counts sum to 271361",
                MINIMAL.replace("[5, 10, 271345]", "[5, 10, 271346]"));
        assertError("mini.json: not valid JSON (line 2", MINIMAL.substring(0, 40));
        assertError("mini.json: a COCO ground-truth file is a JSON object", "[]");
        assertError("mini.json: missing 'annotations' list", "{\"images\": [], \"categories\": []}");
    }

    private static void assertError(String expectedStart, String json) {
        CocoFormatException e = assertThrows(CocoFormatException.class, () -> CocoDataset.parse(json, "mini.json"));
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    }

    @Test
    void loadsTheSharedCocoPersonSetQuickly() throws IOException {
        Path file = SharedData.resolve("data/coco-person/annotations.json");
        CocoDataset.read(file); // warm-up: class loading and JIT
        long t0 = System.nanoTime();
        CocoDataset ds = CocoDataset.read(file);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("[coco-dataset] %s: %s in %d ms%n", file.getFileName(), ds, ms);
        assertEquals(614, ds.images().size());
        assertEquals(720, ds.annotations().size());
        assertEquals(5, ds.annotations().stream().filter(CocoAnnotation::crowd).count());
        assertTrue(ds.hasMasks());
        assertEquals(Optional.of("http://images.cocodataset.org/val2017/000000000802.jpg"),
                ds.image(802).orElseThrow().field("coco_url"));
    }

    @Test
    void boxOnlySetHasNoMasks() throws IOException {
        CocoDataset ds = CocoDataset.read(SharedData.resolve("data/cctv-1080p/annotations.json"));
        assertFalse(ds.hasMasks());
        assertEquals(22, ds.images().size());
        assertEquals(322, ds.annotations().size());
    }
}
