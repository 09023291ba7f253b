// SPDX-License-Identifier: Apache-2.0
package org.peopleseg.models.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.peopleseg.models.SharedDir;

class TfliteMetadataTest {
    private static Path model(String name) {
        Path f = SharedDir.require().resolve("models/ultralytics-st/" + name);
        Assumptions.assumeTrue(Files.isRegularFile(f), "model not found: " + f);
        return f;
    }

    @Test
    void readsUltralyticsAuthorAndLicenceFromTheSegModels() throws Exception {
        for (String f : new String[] {"yolo11n_256_quant_pc_ii_seg_coco-st.tflite",
                "yolov8n_256_quant_pc_ii_seg_coco-st.tflite", "yolov8n_320_quant_pc_ii_seg_coco-st.tflite"}) {
            TfliteMetadata m = TfliteMetadata.read(model(f)).orElseThrow(() -> new AssertionError(f + ": no metadata"));
            assertEquals("Ultralytics", m.author(), f);
            assertEquals("AGPL-3.0 License (https://ultralytics.com/license)", m.licence(), f);
        }
    }

    @Test
    void aFileWithoutMetadataOrNotTfliteGivesNothing() throws Exception {
        // ST's person detector was re-exported without the TFLite Support metadata
        assertEquals(Optional.empty(), TfliteMetadata.read(model("yolov8n_416_quant_pc_uf_od_coco-person-st.tflite")));
        assertTrue(TfliteMetadata.read(ByteBuffer.wrap(new byte[] {12, 0, 0, 0, 'T', 'F', 'L', '3'})).isEmpty());
        assertTrue(TfliteMetadata.read(ByteBuffer.wrap(new byte[3])).isEmpty());
    }
}
