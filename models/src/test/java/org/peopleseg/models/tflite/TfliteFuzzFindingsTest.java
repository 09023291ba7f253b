package org.peopleseg.models.tflite;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What fuzzing found in the TFLite reader (README "Fuzzing"): each crash input (replayed by {@link TfliteFuzzTest}
 * too) is now refused by {@link TfliteModel#read(ByteBuffer)} itself, with this message.
 */
class TfliteFuzzFindingsTest {
    private static final Map<String, String> FINDINGS = Map.of(
            "model/crash-constant-shorter-than-shape", "needs");

    @Test
    void crashInputsAreRefusedByTheReader() throws IOException {
        for (Map.Entry<String, String> finding : FINDINGS.entrySet()) {
            byte[] bytes;
            try (InputStream in = getClass().getResourceAsStream("TfliteFuzzTestInputs/" + finding.getKey())) {
                bytes = in.readAllBytes();
            }
            TfliteFormatException e = assertThrows(TfliteFormatException.class,
                    () -> TfliteModel.read(ByteBuffer.wrap(bytes)), finding.getKey());
            assertTrue(e.getMessage().contains(finding.getValue()), finding.getKey() + ": " + e.getMessage());
        }
    }
}
