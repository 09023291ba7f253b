package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Command-line parsing, help and exit codes. */
class MainTest {

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        Cli.Result r = Cli.run("--help");
        assertEquals(0, r.code());
        for (String cmd : new String[] {"spec", "build", "infer", "bench", "demo"}) {
            assertTrue(r.out().contains("\n  " + cmd + " "), cmd + " missing from:\n" + r.out());
        }
        assertTrue(r.out().contains("Exit codes:"), r.out());
    }

    @Test
    void everySubcommandHasHelp() {
        for (String[] cmd : new String[][] {{"spec", "check"}, {"build"}, {"infer"}, {"bench"}, {"demo"}}) {
            String[] args = java.util.Arrays.copyOf(cmd, cmd.length + 1);
            args[cmd.length] = "--help";
            Cli.Result r = Cli.run(args);
            assertEquals(0, r.code(), String.join(" ", cmd));
            assertTrue(r.out().startsWith("Usage: peopleseg " + String.join(" ", cmd)), r.out());
        }
    }

    @Test
    void versionNamesThePinnedOnnxRuntime() {
        Cli.Result r = Cli.run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("peopleseg "), r.out());
        assertTrue(r.out().contains("ONNX Runtime 1.28.0"), r.out());
    }

    @Test
    void unknownOptionIsAUsageError() {
        Cli.Result r = Cli.run("infer", "--model", "m.onnx", "--input", "a.jpg", "--output", "out", "--bogus");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown option: '--bogus'"), r.err());
        assertTrue(r.err().contains("Try 'peopleseg infer --help'"), r.err());
    }

    @Test
    void misspeltCommandGetsASuggestion() {
        Cli.Result r = Cli.run("infre");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("infer"), r.err());
    }

    @Test
    void missingCommandOrOptionIsAUsageError() {
        assertEquals(2, Cli.run().code());
        assertEquals(2, Cli.run("spec").code());
        Cli.Result r = Cli.run("infer", "--input", "a.jpg");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--model"), r.err());
    }

    @Test
    void badValuesAreUsageErrors() {
        assertEquals(2, Cli.run("infer", "-m", "m.onnx", "-i", "a.jpg", "-o", "out", "--threshold", "1.5").code());
        assertEquals(2, Cli.run("infer", "-m", "m.onnx", "-i", "a.jpg", "-o", "out", "--threads", "-1").code());
        assertEquals(2, Cli.run("bench", "-m", "m.onnx", "--iterations", "0").code());
        assertEquals(2, Cli.run("infer", "-m", "m.onnx", "-i", "a.jpg", "-o", "out", "--threshold", "x").code());
    }

    @Test
    void aMissingModelIsOneLineNamingTheFile() {
        Cli.Result r = Cli.run("bench", "--model", "no/such/model.onnx");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no/such/model.onnx: no such model file"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --debug:\n" + r.err());
    }

    @Test
    void debugPrintsTheStackTrace() {
        Cli.Result r = Cli.run("bench", "--debug", "--model", "no/such/model.onnx");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("NoSuchFileException"), r.err());
        assertTrue(r.err().contains("\tat "), r.err());
    }
}
