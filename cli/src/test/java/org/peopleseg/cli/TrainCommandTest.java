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

    @Test
    void oneTrainCommandDispatchesOnSpecOrModel() throws Exception {
        Cli.Result neither = Cli.run("train", "--output", tmp.resolve("run").toString());
        assertEquals(Main.ERROR, neither.code(), neither.all());
        assertTrue(neither.err().contains("'--spec=SPEC' (Mask R-CNN) or '--model=PACKAGE' (YOLO-seg)"), neither.err());

        Path spec = tmp.resolve("exp.txt");
        Files.writeString(spec, SpecCheckCommandTest.SPEC);
        Cli.Result both = Cli.run("train", "--spec", spec.toString(), "--model", "x.onnx", "--output", "run");
        assertEquals(Main.ERROR, both.code(), both.all());
        assertTrue(both.err().contains("give --spec (Mask R-CNN) or --model (YOLO-seg), not both"), both.err());

        // --model: the YOLO-seg trainer's own options and help, reached through the same command
        Cli.Result help = Cli.run("train", "--model", "x.onnx", "--help");
        assertEquals(Main.OK, help.code(), help.all());
        assertTrue(help.out().contains("--val-annotations") && help.out().contains("--freeze"), help.out());
        Cli.Result unknown = Cli.run("train", "--model", "x.onnx", "--output", "run", "--train-annotations", "a.json",
                "--train-images", ".", "--no-such-option");
        assertEquals(Main.ERROR, unknown.code(), unknown.all());
        assertTrue(unknown.err().contains("--no-such-option"), unknown.err());
        // the Mask R-CNN trainer refuses the YOLO-seg trainer's options
        Cli.Result yoloOption = Cli.run("train", "--spec", spec.toString(), "--output", "run", "--epochs", "3");
        assertEquals(Main.ERROR, yoloOption.code(), yoloOption.all());
        assertTrue(yoloOption.err().contains("--epochs"), yoloOption.err());
    }
}
