package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * One small model package for all CLI tests of a test JVM: torchvision preset, deterministic weights, classes
 * background + person, 320x256 (a ResNet-50 package is ~176 MB and takes a few seconds to build, so it is built
 * once, by the CLI itself, and deleted when the JVM exits).
 */
final class TestModel {
    private static Path dir;
    private static Path model;

    private TestModel() {}

    static synchronized Path model() {
        if (model == null) {
            Path m = workDir().resolve("small.onnx");
            Cli.Result r = Cli.run("build", "--preset", "torchvision", "--deterministic", "--classes", "person",
                    "--input-size", "320x256", "--output", m.toString());
            assertEquals(0, r.code(), r.all());
            model = m;
        }
        return model;
    }

    /** A drawn street scene saved as a JPEG. */
    static Path jpeg(Path dir, String name, int width, int height, long seed) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(dir);
        if (!ImageIO.write(SyntheticImages.scene(width, height, seed), "jpeg", f.toFile())) {
            throw new IOException("no JPEG writer");
        }
        return f;
    }

    private static Path workDir() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("peopleseg-cli-test");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path d = dir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(d)));
        }
        return dir;
    }

    static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
