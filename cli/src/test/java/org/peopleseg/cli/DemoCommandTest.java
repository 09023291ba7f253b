package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void demoBuildsOnceRunsAndSaysTheWeightsAreUntrained() throws Exception {
        Path work = tmp.resolve("cache");
        Path out = tmp.resolve("demo");
        Cli.Result first = Cli.run("demo", "--work", work.toString(), "--output", out.toString(), "--frames", "1");
        assertEquals(0, first.code(), first.all());
        assertTrue(Files.isRegularFile(work.resolve(DemoCommand.MODEL_NAME)));
        assertTrue(first.out().contains("UNTRAINED"), first.out());
        assertTrue(first.out().contains(DemoCommand.REAL_WEIGHTS_HINT), first.out());
        assertTrue(Files.exists(out.resolve("results.json")));
        assertTrue(Files.exists(out.resolve("images.json")));
        try (var overlays = Files.list(out.resolve("overlays"))) {
            assertEquals(1, overlays.count());
        }

        Cli.Result second = Cli.run("demo", "--work", work.toString(), "--output", out.toString(), "--frames", "1");
        assertEquals(0, second.code(), second.all());
        assertTrue(second.out().contains("(cached"), second.out());
    }

    @Test
    void syntheticFramesAreDeterministicAndPeopleLike() {
        var a = SyntheticImages.scene(320, 192, 5);
        var b = SyntheticImages.scene(320, 192, 5);
        var c = SyntheticImages.scene(320, 192, 6);
        int[] pa = a.getRGB(0, 0, 320, 192, null, 0, 320);
        int[] pb = b.getRGB(0, 0, 320, 192, null, 0, 320);
        int[] pc = c.getRGB(0, 0, 320, 192, null, 0, 320);
        assertTrue(java.util.Arrays.equals(pa, pb));
        assertTrue(!java.util.Arrays.equals(pa, pc));
    }
}
