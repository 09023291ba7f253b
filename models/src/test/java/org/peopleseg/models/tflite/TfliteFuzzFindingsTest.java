package org.peopleseg.models.tflite;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What fuzzing found in the TFLite reader and converter (README "Fuzzing"): each crash input (replayed by
 * {@link TfliteFuzzTest} too) is now refused by {@link TfliteModel#read(ByteBuffer)} itself with the message
 * listed, or, for the converter's, by {@link TfliteConverter#convert} naming the operator.
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

    @Test
    void converterCrashInputsAreRefusedNamingTheOperator() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("TfliteFuzzTestInputs/converter").toURI());
        List<Path> crashes;
        try (Stream<Path> files = Files.list(dir)) {
            crashes = files.filter(f -> f.getFileName().toString().startsWith("crash-")).sorted().toList();
        }
        assertTrue(crashes.size() >= 10, "the converter campaign's findings are committed");
        for (Path crash : crashes) {
            TfliteModel model;
            try {
                model = TfliteModel.read(ByteBuffer.wrap(Files.readAllBytes(crash)));
            } catch (TfliteFormatException e) {
                continue; // refused by the reader's own checks since
            }
            for (TfliteConverter.Precision p : TfliteConverter.Precision.values()) {
                UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                        () -> TfliteConverter.convert(model, new TfliteConverter.Options(0, 0, p)), crash.toString());
                assertTrue(e.getMessage().startsWith("op #") || e.getMessage().startsWith("graph"), e.getMessage());
            }
        }
    }
}
