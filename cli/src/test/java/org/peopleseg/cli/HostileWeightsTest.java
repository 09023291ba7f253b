package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code build --weights} given each refused checkpoint of the models module's hostile suite
 * ({@code tools/fixtures/hostile/make_malicious_checkpoints.py}): exit code 2, one line naming the file and the
 * culprit, no package written, no canary created.
 */
class HostileWeightsTest {
    static final Path SUITE = Path.of("../models/src/test/resources/torch/hostile");
    static final Path CANARY_DIR = Path.of("/tmp/peopleseg-hostile-canary");

    record Case(String name, List<String> texts) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> refused() throws Exception {
        if (!Files.isRegularFile(SUITE.resolve("manifest.tsv"))) {
            return Stream.of(new Case("(suite missing at " + SUITE + ")", List.of()));
        }
        List<Case> cases = new ArrayList<>();
        for (String line : Files.readAllLines(SUITE.resolve("manifest.tsv"))) {
            String[] f = line.split("\t");
            if (!line.startsWith("#") && f.length == 3 && !f[1].equals("loads")) {
                cases.add(new Case(f[0], List.of(f[2].split(" \\| "))));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void buildRefusesItInOneLine(Case c, @TempDir Path dir) throws Exception {
        assumeTrue(!c.texts().isEmpty(), c.name());
        Path canary = CANARY_DIR.resolve(c.name());
        Files.deleteIfExists(canary);
        Path weights = Files.write(dir.resolve(c.name() + ".pth"), Base64.getMimeDecoder().decode(
                Files.readString(SUITE.resolve(c.name() + ".pt.b64"), StandardCharsets.US_ASCII)));
        Path out = dir.resolve("out.onnx");
        Cli.Result r = Cli.run("build", "--preset", "torchvision", "--input-size", "320x256", "--weights",
                weights.toString(), "--output", out.toString());
        assertEquals(2, r.code(), r.all());
        // progress goes to stderr too ("Reading checkpoint ..."): the error is the one "peopleseg build:" line
        List<String> lines = r.err().lines().filter(l -> l.startsWith("peopleseg build: ")).toList();
        assertEquals(1, lines.size(), "one error line: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertTrue(lines.get(0).contains(weights.toString()), lines.get(0));
        for (String text : c.texts()) {
            assertTrue(lines.get(0).contains(text), "'" + text + "' in: " + lines.get(0));
        }
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(canary), "the payload ran: " + canary);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(weights.getFileName().toString()),
                    files.map(p -> p.getFileName().toString()).toList(), "nothing else written");
        }
    }
}
