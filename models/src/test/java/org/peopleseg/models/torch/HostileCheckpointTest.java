package org.peopleseg.models.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The malicious and malformed checkpoints of {@code tools/fixtures/hostile/make_malicious_checkpoints.py}: each is
 * refused with the exception its manifest line names and a message naming the offending global, opcode or entry,
 * and no canary appears (the code-running ones were shown by the generator to create theirs under CPython).
 */
class HostileCheckpointTest {
    /** Where the payloads would write; fixed in the files by the generator. */
    static final Path CANARY_DIR = Path.of("/tmp/peopleseg-hostile-canary");
    static final String RESOURCES = "/torch/hostile/";

    /** One manifest line: the case, what must happen, and the texts the message must contain. */
    record Case(String name, String expect, List<String> texts) {
        @Override
        public String toString() {
            return name;
        }

        Path canary() {
            return CANARY_DIR.resolve(name);
        }

        /** The checkpoint, decoded into {@code dir}. */
        Path writeTo(Path dir) throws IOException {
            try (var in = HostileCheckpointTest.class.getResourceAsStream(RESOURCES + name + ".pt.b64")) {
                String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
                return Files.write(dir.resolve(name + ".pt"), Base64.getMimeDecoder().decode(text));
            }
        }
    }

    static List<Case> cases() {
        try (var in = HostileCheckpointTest.class.getResourceAsStream(RESOURCES + "manifest.tsv")) {
            List<Case> cases = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                cases.add(new Case(f[0], f[1], List.of(f[2].split(" \\| "))));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Case> refused() {
        return cases().stream().filter(c -> !c.expect().equals("loads"));
    }

    static Stream<Case> harmless() {
        return cases().stream().filter(c -> c.expect().equals("loads"));
    }

    static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void isRefusedNamingTheCulpritAndRunsNothing(Case c, @TempDir Path dir) throws IOException {
        Files.deleteIfExists(c.canary());
        Path file = c.writeTo(dir);
        List<String> before = listing(dir);
        IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.read(file).stateDict());
        String message = e.getMessage();
        if (c.expect().equals("unsafe")) {
            assertInstanceOf(UnsafeCheckpointException.class, e, message);
        } else {
            assertFalse(e instanceof UnsafeCheckpointException, message);
        }
        assertTrue(message.contains(file.toString()), "names the file: " + message);
        for (String text : c.texts()) {
            assertTrue(message.contains(text), "'" + text + "' in: " + message);
        }
        assertFalse(message.contains("\n"), "one line: " + message);
        assertTrue(message.length() < 400, "short: " + message);
        assertFalse(Files.exists(c.canary()), "the payload ran: " + c.canary() + " exists");
        assertEquals(before, listing(dir), "nothing written next to the checkpoint");
    }

    /** Hostile-looking but harmless: a nested pickle is only bytes, dropped BUILD state is only data. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("harmless")
    void harmlessDataReadsAsData(Case c, @TempDir Path dir) throws IOException {
        Files.deleteIfExists(c.canary());
        Map<String, TorchTensor> sd = TorchCheckpoint.readStateDict(c.writeTo(dir));
        assertTrue(sd.keySet().containsAll(c.texts()), sd.keySet().toString());
        assertFalse(Files.exists(c.canary()));
    }

    @Test
    void nestedPickleInAStorageIsReadAsItsRawBytes(@TempDir Path dir) throws IOException {
        Case c = harmless().filter(x -> x.name().equals("nested_pickle_in_storage")).findFirst().orElseThrow();
        byte[] raw = TorchCheckpoint.readStateDict(c.writeTo(dir)).get("w").toRawBytes();
        String text = new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("os\nsystem\n") && text.contains("touch " + c.canary()), text);
        assertFalse(Files.exists(c.canary()));
    }

    @Test
    void theSuiteCoversWhatTheIssueLists() {
        List<String> names = cases().stream().map(Case::name).toList();
        for (String expected : List.of("reduce_os_system", "reduce_posix_system", "reduce_subprocess_popen",
                "reduce_builtins_eval", "reduce_builtins_exec", "reduce_nt_system", "inst_os_system", "obj_os_system",
                "build_on_tensor", "global_empty_module", "global_dotted_module", "global_py2_builtin_getattr",
                "global_unicode_lookalike", "global_very_long_module", "memo_get_unset", "memo_get_huge_index",
                "pid_storage_type_string", "pid_key_parent", "pid_key_absolute", "nested_pickle_in_storage",
                "zip_entry_parent", "zip_entry_absolute", "zip_entry_traversal", "zip_bomb_ratio",
                "zip_bomb_declared_size", "legacy_wrong_magic", "legacy_truncated_in_records")) {
            assertTrue(names.contains(expected), expected);
        }
    }
}
