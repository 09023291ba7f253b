package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression test for ONNX Runtime 1.29.0, which crashes with SIGSEGV inside {@code OrtEnvironment.getEnvironment()}
 * when the process's command line is longer than about 4 KB (measured here; the reason the project pins 1.28.0).
 * A long command line is ordinary: a class path of jars, or {@code peopleseg infer} given hundreds of files by the
 * shell. The test starts the CLI as its own process with a command line over 8 KB (the test JVM's class path plus
 * many repeated {@code --input} arguments) and requires a clean run. With 1.29.0 the child dies with signal 11
 * (exit code 134 or 139) before printing a result.
 */
class LongCommandLineTest {
    @TempDir
    Path tmp;

    @Test
    void cliRunsWithACommandLineOver8Kb() throws Exception {
        Path model = TestModel.model();
        Path image = TestModel.jpeg(tmp, "frame.jpg", 160, 120, 11);
        Path out = tmp.resolve("out");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "infer", "--model", model.toString(), "--output", out.toString(), "--threshold", "0.9"));
        do { // at least one input, even when the test class path alone is over 8 KB
            cmd.add("--input");
            cmd.add(image.toString()); // the same file: processed once
        } while (String.join(" ", cmd).length() < 8192);
        int length = String.join(" ", cmd).length();
        assertTrue(length > 8192, "command line of " + length + " characters");

        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile())
                .start();
        boolean ended = p.waitFor(300, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String log = Files.readString(tmp.resolve("log.txt"));
        assertTrue(ended, "timed out:\n" + log);
        assertEquals(0, p.exitValue(), "exit code " + p.exitValue() + " (134/139 = the 1.29.0 crash) with a "
                + length + "-character command line:\n" + log);
        assertTrue(log.contains("Done: 1 image"), log);
        assertTrue(Files.exists(out.resolve("results.json")), log);
    }
}
