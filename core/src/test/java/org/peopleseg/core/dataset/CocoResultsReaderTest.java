package org.peopleseg.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** pycocotools' {@code loadRes} rules, and the errors for files that cannot be evaluated. */
class CocoResultsReaderTest {
    private static final String GT = """
            {"images": [{"id": 1, "width": 100, "height": 50}, {"id": 2, "width": 100, "height": 50}],
             "annotations": [], "categories": [{"id": 1, "name": "person"}]}
            """;

    private static CocoDataset gt() throws IOException {
        return CocoDataset.parse(GT, "gt.json");
    }

    @Test
    void withBoxesTheAreaIsTheBoxAreaEvenWhenThereIsAMask() throws IOException {
        // counts ":d0Zk4" = runs [10, 20, 4970]: a 20-pixel mask; its box [0, 10, 1, 20]
        List<CocoDetection> dts = CocoResultsReader.parse("""
                [{"image_id": 2, "category_id": 1, "bbox": [1, 2, 3, 4], "score": 0.9,
                  "segmentation": {"size": [50, 100], "counts": ":d0Zk4"}},
                 {"image_id": 1, "category_id": 1, "bbox": [0, 0, 10, 10], "score": 0.8}]
                """, "res.json", gt());
        assertEquals(2, dts.size());
        assertEquals(12.0, dts.get(0).area(), 0.0);
        assertInstanceOf(CocoSegmentation.CompressedRle.class, dts.get(0).segmentation());
        assertNull(dts.get(1).segmentation());
        assertEquals(100.0, dts.get(1).area(), 0.0);
        assertEquals(2, dts.get(0).imageId());
    }

    @Test
    void withoutBoxesTheAreaAndBoxComeFromTheMask() throws IOException {
        List<CocoDetection> dts = CocoResultsReader.parse("""
                [{"image_id": 2, "category_id": 1, "score": 0.9,
                  "segmentation": {"size": [50, 100], "counts": ":d0Zk4"}},
                 {"image_id": 1, "category_id": 1, "score": 0.5, "segmentation": [[0, 0, 10, 0, 10, 10, 0, 10]]}]
                """, "res.json", gt());
        assertEquals(20.0, dts.get(0).area(), 0.0);
        assertEquals(new CocoBox(0, 10, 1, 20), dts.get(0).bbox());
        assertInstanceOf(CocoSegmentation.Polygons.class, dts.get(1).segmentation());
    }

    @Test
    void emptyResultsAreValid() throws IOException {
        assertTrue(CocoResultsReader.parse("[]", "res.json", gt()).isEmpty());
    }

    @Test
    void unknownImageIdsAreAnErrorNamingThem() {
        CocoFormatException e = assertThrows(CocoFormatException.class, () -> CocoResultsReader.parse("""
                [{"image_id": 9, "category_id": 1, "bbox": [1, 2, 3, 4], "score": 0.9},
                 {"image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4], "score": 0.9},
                 {"image_id": 3, "category_id": 1, "bbox": [1, 2, 3, 4], "score": 0.9}]
                """, "res.json", gt()));
        assertEquals("res.json: results for image ids absent from the ground truth gt.json: 3, 9 (2 ids)",
                e.getMessage());
    }

    @Test
    void malformedEntriesAreNamed() {
        assertMessage("res.json: results[1]: missing 'bbox' (the first result has one, so all must)", """
                [{"image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4], "score": 0.9},
                 {"image_id": 1, "category_id": 1, "score": 0.9,
                  "segmentation": {"size": [50, 100], "counts": ":d0Zk4"}}]""");
        assertMessage("res.json: results[0]: has neither 'bbox' nor 'segmentation'",
                "[{\"image_id\": 1, \"category_id\": 1, \"score\": 0.9}]");
        assertMessage("res.json: results[0]: missing 'score'",
                "[{\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 3, 4]}]");
        assertMessage("res.json: results[0]: 'image_id' must be an integer, got \"1\"",
                "[{\"image_id\": \"1\", \"category_id\": 1, \"bbox\": [1, 2, 3, 4], \"score\": 1}]");
        assertMessage("res.json: results[0]: segmentation size [100, 50] (height, width) differs from image 1 (50, "
                + "100)", """
                [{"image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4], "score": 0.9,
                  "segmentation": {"size": [100, 50], "counts": ":d0Zk4"}}]""");
        assertMessage("res.json: a COCO results file is a JSON list of detections (this looks like a ground-truth "
                + "file)", GT);
    }

    private static void assertMessage(String expected, String json) {
        CocoFormatException e = assertThrows(CocoFormatException.class,
                () -> CocoResultsReader.parse(json, "res.json", gt()));
        assertEquals(expected, e.getMessage());
    }
}
