package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsCommandTest {
    @TempDir
    Path dir;

    @Test
    void emptyDirectorySaysHowToMakeAPackage() {
        Cli.Result r = Cli.run("models", dir.toString());
        assertEquals(Main.OK, r.code(), r.all());
        assertTrue(r.out().contains("peopleseg import"), r.out());
    }

    @Test
    void foreignOnnxFilesAreNamedAsNotPackages() throws Exception {
        Files.write(dir.resolve("other.onnx"), new byte[] {8, 8});
        Cli.Result r = Cli.run("models", dir.toString());
        assertEquals(Main.OK, r.code(), r.all());
        assertTrue(r.out().contains("other.onnx") && r.out().contains("not a peopleseg package"), r.out());
    }

    @Test
    void missingPathIsExitTwo() {
        Cli.Result r = Cli.run("models", dir.resolve("nope").toString());
        assertEquals(Main.ERROR, r.code(), r.all());
    }
}
