package org.peopleseg.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.peopleseg.core.io.GeneratedJson;
import org.peopleseg.core.io.UntrustedJson;
import org.peopleseg.core.mask.Rle;

/** COCO files built to exhaust memory: refused with a message after reading a bounded part of them. */
class CocoLimitsTest {
    private static final String HEAD = "{\"images\":[{\"id\":1,\"width\":640,\"height\":480,\"file_name\":\"a.jpg\"}],"
            + "\"categories\":[{\"id\":1,\"name\":\"person\"}],\"annotations\":[{\"id\":1,\"image_id\":1,"
            + "\"category_id\":1,\"iscrowd\":0,\"area\":1,\"bbox\":[0,0,1,1],";

    @Test
    void billionVertexPolygonIsRefusedAfterAboutAMillionNumbers() {
        GeneratedJson in = new GeneratedJson(HEAD + "\"segmentation\":[[", "1,", 2_000_000_000L, "1]]}]}");
        CocoFormatException e = assertThrows(CocoFormatException.class, () -> CocoDataset.parse(in, "big.json"));
        assertTrue(e.getMessage().startsWith("big.json: refused, over a size limit"), e.getMessage());
        assertTrue(e.getMessage().contains("more than " + UntrustedJson.MAX_NESTED_ARRAY_LENGTH + " elements"),
                e.getMessage());
        assertTrue(in.bytesRead() < 4_000_000, "read " + in.bytesRead() + " of " + in.length() + " bytes");
    }

    @Test
    void gigabyteStringIsRefusedAtTheCap() {
        GeneratedJson in = new GeneratedJson("{\"info\":{\"description\":\"", "x", 1L << 30, "\"}}");
        CocoFormatException e = assertThrows(CocoFormatException.class, () -> CocoDataset.parse(in, "str.json"));
        assertTrue(e.getMessage().contains("String value length"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(UntrustedJson.MAX_STRING_LENGTH)), e.getMessage());
        assertTrue(in.bytesRead() < 2L * UntrustedJson.MAX_STRING_LENGTH, "read " + in.bytesRead());
    }

    @Test
    void resultsFileWithAHugeCountsArrayIsRefused() {
        GeneratedJson in = new GeneratedJson("[{\"image_id\":1,\"category_id\":1,\"score\":0.5,\"segmentation\":"
                + "{\"size\":[480,640],\"counts\":[", "0,", 1_000_000_000L, "0]}}]");
        CocoDataset gt = assertDoesNotThrowDataset();
        CocoFormatException e = assertThrows(CocoFormatException.class,
                () -> CocoResultsReader.parse(in, "results.json", gt));
        assertTrue(e.getMessage().startsWith("results.json: refused, over a size limit"), e.getMessage());
    }

    @Test
    void rleCountsSummingPastTheImageAreRefusedWithoutOverflow() {
        String big = String.valueOf(Long.MAX_VALUE);
        String json = HEAD + "\"segmentation\":{\"size\":[480,640],\"counts\":[" + big + "," + big + "," + big
                + "]}}]}";
        CocoFormatException e = assertThrows(CocoFormatException.class, () -> CocoDataset.parse(json, "rle.json"));
        assertTrue(e.getMessage().contains("after 1 of 3 runs but size 480x640 has 307200 pixels"),
                e.getMessage());
    }

    @Test
    void compressedRleMustCoverTheImageExactly() {
        // "0:" is runs [0, 10]: 10 pixels for a 480x640 image
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Rle.fromCompressedString(480, 640, "0:"));
        assertTrue(e.getMessage().contains("add up to 10 pixels but the mask is 480x640"), e.getMessage());
    }

    @Test
    void polygonWithFarApartVerticesIsRefusedBeforeTracingItsOutline() {
        // three vertices 4e8 pixels apart: an outline of ~6e9 points at 5x
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Rle.fromPolygon(new double[] {0, 0, 4e8, 0, 0, 4e8}, 480, 640));
        assertTrue(e.getMessage().contains("polygon outline too long"), e.getMessage());
        assertTrue(e.getMessage().contains("limit " + Rle.MAX_POLYGON_OUTLINE), e.getMessage());
        assertEquals(480 * 640, Rle.fromPolygon(new double[] {-5, -5, 700, -5, 700, 500, -5, 500}, 480, 640).area());
    }

    private static CocoDataset assertDoesNotThrowDataset() {
        try {
            return CocoDataset.parse(HEAD + "\"segmentation\":[[0,0,1,0,1,1]]}]}", "gt.json");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
