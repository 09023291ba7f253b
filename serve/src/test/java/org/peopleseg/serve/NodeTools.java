package org.peopleseg.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Node.js test clients in {@code src/test/node} (installed by {@code npm ci} there; .ci/run does it). Tests that
 * need them skip, saying why, when node or the packages are missing.
 */
final class NodeTools {
    static final Path DIR = Path.of("src/test/node").toAbsolutePath();

    private NodeTools() {}

    /** Skips the calling test unless node runs and the npm packages are installed. */
    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isDirectory(DIR.resolve("node_modules/@grpc/grpc-js")),
                "Node test clients not installed: run 'npm ci' in " + DIR);
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            Assumptions.assumeTrue(p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0, "node does not run");
        } catch (IOException | InterruptedException e) {
            Assumptions.abort("node not found on PATH (apt-get install nodejs): " + e.getMessage());
        }
    }

    /** Output of one script run. */
    record Run(int code, String out, String err) {}

    static Run run(long timeoutSeconds, String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("node", DIR.resolve(script).toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("node-out", ".txt");
        Path err = Files.createTempFile("node-err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).directory(DIR.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(script + " did not finish in " + timeoutSeconds + " s: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
