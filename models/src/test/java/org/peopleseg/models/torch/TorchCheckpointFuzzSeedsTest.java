package org.peopleseg.models.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zip and legacy fuzz seeds are valid checkpoints, so that fuzzing starts past the format checks. */
class TorchCheckpointFuzzSeedsTest {

    @Test
    void seedsHoldTheTinyStateDict(@TempDir Path dir) throws IOException {
        for (String name : new String[] {"zip/seed-state-dict", "zip/seed-wrapped", "legacy/seed-state-dict",
                "legacy/seed-wrapped"}) {
            Path file = dir.resolve("seed.pt");
            try (InputStream in = getClass().getResourceAsStream("TorchCheckpointFuzzTestInputs/" + name)) {
                Files.write(file, in.readAllBytes());
            }
            var sd = TorchCheckpoint.readStateDict(file);
            assertEquals(6, sd.size(), name);
            assertEquals(3f, sd.get("bn.num_batches_tracked").toFloats()[0], name);
        }
    }
}
