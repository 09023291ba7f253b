package org.peopleseg.models.torch;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the checkpoint reader (README "Fuzzing"): the pickle interpreter on its own, and
 * {@link TorchCheckpoint#read} on whole zip and legacy files, each followed by what an importer does with the
 * result (the state_dict, every tensor's values).
 *
 * <p>The property: the documented exception, {@link IOException} (its subclass {@link UnsafeCheckpointException}
 * for a refused global or opcode), with a message; any other throwable (an unchecked exception, an
 * {@link OutOfMemoryError} from a length the input claims, a {@link StackOverflowError}) or an input taking over a
 * second is a finding. Seeds: tools/fixtures/fuzz/make_seeds.py (pickle, torch.save zip and legacy files) in
 * {@code TorchCheckpointFuzzTestInputs/}, next to the findings that became regression inputs.
 */
class TorchCheckpointFuzzTest {
    private static final String SOURCE = "fuzz.pt";
    /** The pickle target's stand-in for storage records: storages larger than this are refused like a short entry. */
    private static final int BLOB_BYTES = 256;
    private static Path dir;

    @BeforeAll
    static void tempDir() throws IOException {
        dir = Files.createTempDirectory("torch-fuzz");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        Files.deleteIfExists(dir.resolve(SOURCE));
        Files.deleteIfExists(dir);
    }

    @FuzzTest
    void pickle(byte[] input) {
        ByteBuffer blob = ByteBuffer.allocate(BLOB_BYTES);
        SafeUnpickler.PersistentLoader storages = pid -> {
            StorageId id = StorageId.parse(pid, SOURCE, false);
            if (id.byteLength() > BLOB_BYTES) {
                throw new IOException("storage '" + id.key() + "' is larger than its entry");
            }
            return new TorchStorage(id.dtype(), new TorchStorage.Blob(id.key(), blob), 0, id.numel());
        };
        try {
            Object root = new SafeUnpickler(ByteBuffer.wrap(input), SOURCE, new TorchGlobals(SOURCE), storages).load();
            if (root instanceof Map<?, ?> map) {
                for (Object value : map.values()) {
                    if (value instanceof TorchTensor tensor) {
                        tensor.toFloats();
                    }
                }
            }
        } catch (IOException e) {
            explained(e);
        }
    }

    @FuzzTest
    void zip(byte[] input) throws IOException {
        readAndImport(input);
    }

    @FuzzTest
    void legacy(byte[] input) throws IOException {
        readAndImport(input);
    }

    private static void readAndImport(byte[] input) throws IOException {
        Path file = dir.resolve(SOURCE);
        Files.write(file, input);
        try {
            TorchCheckpoint checkpoint = TorchCheckpoint.read(file);
            for (TorchTensor tensor : checkpoint.stateDict().values()) {
                tensor.toFloats();
            }
        } catch (IOException e) {
            explained(e);
        }
    }

    private static void explained(Exception e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError("refused without a message", e);
        }
    }
}
