package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command's checks before any training (the end-to-end run is in .ci/run and the train module's tests). */
class TrainCommandTest {
    @TempDir
    Path tmp;

    @Test
    void fieldsThatCannotBeHonouredFailBeforeTrainingWithLineAndColumn() throws Exception {
        Path spec = tmp.resolve("exp.txt");
        Files.writeString(spec, "use_amp: True\n" + SpecCheckCommandTest.SPEC.replace("nlayers: 50",
                "nlayers: 50\n  freeze_bn: False"));
        Path gt = tmp.resolve("gt.json");
        Files.writeString(gt, "{\"images\": [], \"annotations\": [], \"categories\": [{\"id\": 1, \"name\": \"person\"}]}");
        Cli.Result r = Cli.run("train", "--spec", spec.toString(), "--output", tmp.resolve("run").toString(),
                "--train-annotations", gt.toString());
        assertEquals(Main.ERROR, r.code(), r.all());
        assertTrue(r.err().contains(spec + ":1:10: use_amp: True cannot be honoured"), r.err());
        assertTrue(r.err().contains(spec + ":8:14: freeze_bn: False cannot be honoured"), r.err());
        assertFalse(Files.exists(tmp.resolve("run")), "nothing is written");
    }

    @Test
    void aBadSelectionIsAUsageError() throws Exception {
        Path spec = tmp.resolve("exp.txt");
        Files.writeString(spec, SpecCheckCommandTest.SPEC);
        Cli.Result r = Cli.run("train", "--spec", spec.toString(), "--output", tmp.resolve("run").toString(),
                "--train-ids", "4:5");
        assertEquals(Main.ERROR, r.code(), r.all());
        assertTrue(r.err().contains("--train-ids must be MOD:REM with 0 <= REM < MOD, e.g. 4:0; got 4:5"), r.err());
    }

    @Test
    void theCardSnippetIsAcceptedBySpecCheckWithANote() throws Exception {
        Path snippet = tmp.resolve("snippet.txt");
        Files.writeString(snippet, SpecCheckCommandTest.SPEC.substring(SpecCheckCommandTest.SPEC.indexOf("maskrcnn_config")));
        Cli.Result r = Cli.run("spec", "check", snippet.toString());
        assertEquals(Main.OK, r.code(), r.all());
        assertTrue(r.out().contains("note: data_config is not in the spec: using PeopleSegNet's data defaults"), r.out());
        assertTrue(r.out().contains("960"), r.out());
    }
}
