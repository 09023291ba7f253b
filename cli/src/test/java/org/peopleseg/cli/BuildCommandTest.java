package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.runtime.model.ModelMetadata;
import org.peopleseg.runtime.session.OnnxSession;
import org.peopleseg.runtime.session.SessionSettings;

class BuildCommandTest {
    /** A tiny torch.save file of the models module's tests (kept as base64 text): a few tensors, no Mask R-CNN. */
    static final Path TINY_CHECKPOINT_B64 = Path.of("../models/src/test/resources/torch/tiny_state_dict.pt.b64");

    @TempDir
    Path tmp;

    @Test
    void deterministicPackageCarriesItsMetadata() throws Exception {
        Path model = TestModel.model();
        Map<String, String> props;
        try (OnnxSession s = OnnxSession.open(model, new SessionSettings(1))) {
            props = s.metadata();
        }
        ModelMetadata meta = ModelMetadata.fromProperties(props);
        assertEquals("maskrcnn", meta.architecture());
        assertEquals(java.util.List.of("background", "person"), meta.labels());
        assertEquals(java.util.List.of(0, 1), meta.categoryIds());
        assertEquals(320, meta.inputWidth());
        assertEquals(256, meta.inputHeight());
        assertEquals("min_max", meta.resize());
        assertEquals(ModelBuilder.DETERMINISTIC_PROVENANCE, meta.provenance());
        assertTrue(meta.specText().contains("maskrcnn_config"), meta.specText());
    }

    @Test
    void agplWeightsAreAnnouncedOnceAndListedAsCopyleft() {
        Path out = tmp.resolve("agpl.onnx");
        Cli.Result r = Cli.run("build", "--preset", "torchvision", "--deterministic", "--classes", "person",
                "--input-size", "320x256", "--licence", "AGPL-3.0", "--output", out.toString());
        assertEquals(0, r.code(), r.all());
        assertEquals(1, r.out().split("LICENCE: ", -1).length - 1, r.out());
        assertTrue(r.out().contains("LICENCE: " + out + " is derived from AGPL-3.0 weights and stays AGPL-3.0"),
                r.out());
        Cli.Result list = Cli.run("models", out.toString());
        assertTrue(list.out().contains("licence: AGPL-3.0 (copyleft"), list.out());
        // the default for untrained weights is no licence at all, and nothing is announced
        Path plain = tmp.resolve("plain.onnx");
        Cli.Result p = Cli.run("build", "--preset", "torchvision", "--deterministic", "--classes", "person",
                "--input-size", "320x256", "--output", plain.toString());
        assertEquals(0, p.code(), p.all());
        assertFalse(p.out().contains("LICENCE:"), p.out());
        assertTrue(Cli.run("models", plain.toString()).out().contains("licence: none (generated, untrained weights)"));
    }

    @Test
    void mismatchedCheckpointListsEveryProblemAndWritesNothing() throws Exception {
        assumeTrue(Files.isRegularFile(TINY_CHECKPOINT_B64), "needs " + TINY_CHECKPOINT_B64);
        Path checkpoint = Files.createTempDirectory("ckpt").resolve("tiny_state_dict.pt");
        Files.write(checkpoint, java.util.Base64.getDecoder().decode(
                Files.readString(TINY_CHECKPOINT_B64).replaceAll("\\s", "")));
        checkpoint.toFile().deleteOnExit();
        checkpoint.getParent().toFile().deleteOnExit();
        Path out = tmp.resolve("x.onnx");
        Cli.Result r = Cli.run("build", "--preset", "torchvision", "--input-size", "320x256", "--weights",
                checkpoint.toString(), "--classes", "person", "--output", out.toString());
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("missing: backbone.body.conv1.weight [64, 3, 7, 7]"), r.err());
        assertTrue(r.err().contains("unexpected: "), r.err());
        assertTrue(r.err().contains("nothing written"), r.err());
        assertFalse(Files.exists(out));
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void notACheckpointIsOneLineNamingTheFile() throws Exception {
        Path fake = Files.writeString(tmp.resolve("fake.pth"), "hello");
        Cli.Result r = Cli.run("build", "--preset", "torchvision", "--weights", fake.toString(), "-o",
                tmp.resolve("x.onnx").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("fake.pth"), r.err());
        assertTrue(r.err().contains("not a PyTorch checkpoint"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void printSpecNeedsNoWeightsAndRoundTrips() throws Exception {
        Path saved = tmp.resolve("preset.txt");
        Cli.Result r = Cli.run("build", "--preset", "torchvision", "--input-size", "768x576", "--print-spec",
                "--save-spec", saved.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("image_size: \"(576, 768)\""), r.out());
        assertTrue(r.out().contains("resize: MIN_MAX"), r.out());
        assertEquals(r.out(), Files.readString(saved));
        Cli.Result check = Cli.run("spec", "check", saved.toString());
        assertEquals(0, check.code(), check.all());
        assertTrue(check.out().contains("shorter side 576, longer side at most 768"), check.out());
    }

    @Test
    void usageErrors() throws Exception {
        Path spec = Files.writeString(tmp.resolve("spec.txt"), SpecCheckCommandTest.SPEC);
        String out = tmp.resolve("x.onnx").toString();
        // no weights
        assertEquals(2, Cli.run("build", "--preset", "torchvision", "-o", out).code());
        // both architectures, or none
        assertEquals(2, Cli.run("build", "--preset", "torchvision", "--spec", spec.toString(), "--deterministic", "-o", out).code());
        assertEquals(2, Cli.run("build", "--deterministic", "-o", out).code());
        // --input-size belongs to the preset
        Cli.Result r = Cli.run("build", "--spec", spec.toString(), "--input-size", "640x480", "--deterministic", "-o", out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("data_config.image_size"), r.err());
        // a misspelt class
        r = Cli.run("build", "--preset", "torchvision", "--classes", "persn", "--deterministic", "-o", out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("did you mean 'person'"), r.err());
        // a spec with 2 classes cannot keep 3
        r = Cli.run("build", "--spec", spec.toString(), "--classes", "person,car", "--deterministic", "-o", out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("defines 2 classes but 3 are selected"), r.err());
        assertFalse(Files.exists(Path.of(out)));
    }
}
