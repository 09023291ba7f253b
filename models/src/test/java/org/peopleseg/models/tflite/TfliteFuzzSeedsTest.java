package org.peopleseg.models.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The fuzz seeds are valid files, so that fuzzing starts deep inside the reader and converter, not at its checks. */
class TfliteFuzzSeedsTest {

    private static ByteBuffer seed(String path) throws IOException {
        try (InputStream in = TfliteFuzzSeedsTest.class.getResourceAsStream("TfliteFuzzTestInputs/" + path)) {
            return ByteBuffer.wrap(in.readAllBytes());
        }
    }

    @Test
    void floatAndInt8SeedsConvert() throws IOException {
        for (String name : new String[] {"model/seed-float", "model/seed-int8"}) {
            TfliteModel model = TfliteModel.read(seed(name));
            assertEquals(3, model.operators().size(), name);
            for (TfliteConverter.Precision p : TfliteConverter.Precision.values()) {
                TfliteConverter.Converted c = TfliteConverter.convert(model, new TfliteConverter.Options(0, 0, p));
                assertEquals(1, c.outputs().size(), name);
            }
        }
    }

    @Test
    void metadataSeedHasItsMetadata() throws IOException {
        TfliteMetadata meta = TfliteMetadata.read(seed("metadata/seed-with-metadata")).orElseThrow();
        assertEquals(new TfliteMetadata("seed", "peopleseg", "Apache-2.0"), meta);
    }
}
