package org.peopleseg.video.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the stream YAML config reader (README "Fuzzing"): {@link StreamConfigFile#load} on
 * a file holding the input. Documented outcome: a setup, or {@link ConfigException} whose message names the file.
 * Anything else (a Jackson/SnakeYAML exception leaking, an {@link OutOfMemoryError} from an alias bomb, a
 * {@link StackOverflowError} from deep nesting) or an input taking over a second is a finding.
 *
 * <p>Seeds: the repository's complete example (examples/vtest.yml) and a minimal config; nothing is opened
 * (sources and the model are only named).
 */
class StreamConfigFuzzTest {
    private static Path dir;

    @BeforeAll
    static void tempDir() throws IOException {
        dir = Files.createTempDirectory("stream-config-fuzz");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        Files.deleteIfExists(dir.resolve("fuzz.yml"));
        Files.deleteIfExists(dir);
    }

    static Stream<byte[]> configs() throws IOException {
        return Stream.of(Files.readAllBytes(Path.of("../examples/vtest.yml")),
                ("sources:\n  - uri: a.mp4\n    loops: 2\nprimary-gie:\n  model: m.onnx\n"
                        + "tracker: {enable: true, max-age: 30}\nsinks: {mot: true, kafka: {bootstrap: 'h:9092', topic: t}}\n")
                        .getBytes(StandardCharsets.UTF_8));
    }

    @MethodSource("configs")
    @FuzzTest
    void load(byte[] input) throws IOException {
        Path file = dir.resolve("fuzz.yml");
        Files.write(file, input);
        try {
            StreamConfigFile.load(file);
        } catch (ConfigException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith(file.toString())) {
                throw new AssertionError("refused without naming the file", e);
            }
        }
    }
}
