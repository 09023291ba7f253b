package org.peopleseg.core.dataset;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** What fuzzing found in the COCO readers (README "Fuzzing"). */
class CocoFuzzFindingsTest {

    @Test
    void corruptMaskInAResultsFileIsTheFilesError() throws IOException {
        CocoDataset gt = CocoDataset.parse(CocoFuzzTest.GROUND_TRUTH, "gt.json");
        // mask-only results: the reader decodes each RLE for its box; a corrupt one escaped as IllegalArgumentException
        String results = "[{\"image_id\": 2, \"category_id\": 1, \"score\": 0.5,"
                + " \"segmentation\": {\"size\": [10, 20], \"counts\": \"not an rle\"}}]";
        CocoFormatException e = assertThrows(CocoFormatException.class,
                () -> CocoResultsReader.parse(results, "r.json", gt));
        assertTrue(e.getMessage().contains("r.json") && e.getMessage().contains("compressed RLE"), e.getMessage());
    }
}
