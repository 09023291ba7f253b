package org.peopleseg.video.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stream configs built to exhaust the YAML parser: refused with a message naming the file. */
class StreamConfigLimitsTest {
    @TempDir
    Path dir;

    private String refused(String name, String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve(name), yaml);
        ConfigException e = assertThrows(ConfigException.class, () -> StreamConfigFile.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void billionLaughsIsRefused() throws IOException {
        StringBuilder y = new StringBuilder("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (int i = 1; i < 10; i++) {
            y.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                y.append(j == 0 ? "" : ",").append("*a").append(i - 1);
            }
            y.append("]\n");
        }
        // Jackson's YAML parser hands aliases to the binder unexpanded, and these ones fit no config key
        long t0 = System.nanoTime();
        String message = refused("laughs.yml", y.toString());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "refused without expanding 9^10 strings");
        assertTrue(!message.contains("\n"), message);
    }

    @Test
    void oversizedConfigIsRefusedBeforeReading() throws IOException {
        String message = refused("huge.yml", "# " + "x".repeat((int) StreamConfigFile.MAX_CONFIG_BYTES) + "\n");
        assertTrue(message.contains("too large for a stream config"), message);
    }

    @Test
    void deepNestingIsRefused() throws IOException {
        String message = refused("deep.yml", "sources: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n");
        assertTrue(message.contains("deep.yml:1:"), message);
    }
}
