package org.peopleseg.models.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints crafted to be inconsistent, ambiguous or hostile, written as zips on the fly. */
class TorchCheckpointErrorsTest {
    @TempDir
    Path dir;

    private static final long[] FOUR = {4};
    private static final long[] ONE = {1};

    /** A zip checkpoint "ckpt/..." holding {@code pickle} and the given storages. */
    private Path checkpoint(PickleBytes pickle, Object... storageKeysAndBytes) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("ckpt/data.pkl", pickle.bytes());
        for (int i = 0; i < storageKeysAndBytes.length; i += 2) {
            entries.put("ckpt/" + storageKeysAndBytes[i], (byte[]) storageKeysAndBytes[i + 1]);
        }
        entries.put("ckpt/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        return PickleBytes.zip(dir.resolve("ckpt.pt"), entries);
    }

    /** {'w': tensor of 4 floats over storage "0" (numel declared as {@code numel}), shape {@code shape}}. */
    private static PickleBytes oneTensor(long numel, long[] shape, long[] strides) {
        return new PickleBytes().proto().op('}').str("w").tensor("FloatStorage", "0", numel, 0, shape, strides)
                .op('s', '.');
    }

    private String failure(Path file) {
        IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.read(file).stateDict());
        assertFalse(e instanceof UnsafeCheckpointException, e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aWellFormedCraftedCheckpointReads() throws IOException {
        Path file = checkpoint(oneTensor(4, FOUR, ONE), "data/0", PickleBytes.floatsLE(1, 2, 3, 4));
        assertArrayEquals(new float[] {1, 2, 3, 4}, TorchCheckpoint.readStateDict(file).get("w").toFloats());
    }

    @Test
    void strideZeroAndOffsetViewsAreGatheredCorrectly() throws IOException {
        PickleBytes p = new PickleBytes().proto().op('}', '(')
                .str("rows").tensor("FloatStorage", "0", 6, 2, new long[] {2, 2}, new long[] {0, 2})
                .str("cols").tensor("FloatStorage", "0", 6, 1, new long[] {2, 2}, new long[] {1, 2})
                .op('u', '.');
        Map<String, TorchTensor> sd = TorchCheckpoint.readStateDict(
                checkpoint(p, "data/0", PickleBytes.floatsLE(0, 1, 2, 3, 4, 5)));
        assertArrayEquals(new float[] {2, 4, 2, 4}, sd.get("rows").toFloats());
        assertArrayEquals(new float[] {1, 3, 2, 4}, sd.get("cols").toFloats());
        assertTrue(sd.get("rows").sharesStorageWith(sd.get("cols")));
        assertFalse(sd.get("cols").isContiguous());
    }

    @Test
    void missingStorageEntry() {
        assertTrue(failure(checkpoint(oneTensor(4, FOUR, ONE))).contains("no entry ckpt/data/0"));
    }

    @Test
    void storageEntryShorterThanDeclared() {
        String message = failure(checkpoint(oneTensor(4, FOUR, ONE), "data/0", PickleBytes.floatsLE(1, 2)));
        assertTrue(message.contains("holds 8 bytes but the pickle expects 4 float32 elements (16 bytes)"), message);
    }

    @Test
    void viewReachingBeyondItsStorage() {
        String message = failure(checkpoint(oneTensor(4, new long[] {5}, ONE), "data/0",
                PickleBytes.floatsLE(1, 2, 3, 4)));
        assertTrue(message.contains("reaches element 4 of a storage of 4 elements"), message);
    }

    @Test
    void torchScriptArchiveIsNamedAsSuch() {
        Path file = PickleBytes.zip(dir.resolve("scripted.pt"), Map.of(
                "scripted/data.pkl", new PickleBytes().proto().op('N', '.').bytes(),
                "scripted/constants.pkl", new PickleBytes().proto().op('N', '.').bytes()));
        assertTrue(failure(file).contains("TorchScript archive"));
    }

    @Test
    void zipWithoutDataPkl() {
        Path file = PickleBytes.zip(dir.resolve("other.zip"), Map.of("folder/readme.txt", new byte[] {1}));
        assertTrue(failure(file).contains("found 0"));
    }

    @Test
    void emptyAndForeignFiles() throws IOException {
        assertTrue(failure(Files.write(dir.resolve("empty.pt"), new byte[0])).contains("the file is empty"));
        assertTrue(failure(Files.writeString(dir.resolve("text.pt"), "hello")).contains("neither"));
        assertTrue(failure(Files.write(dir.resolve("pickle.pt"), new PickleBytes().proto().int1(1).op('.').bytes()))
                .contains("wrong magic number"));
    }

    @Test
    void unknownByteOrder() {
        Path file = checkpoint(oneTensor(4, FOUR, ONE), "data/0", PickleBytes.floatsLE(1, 2, 3, 4),
                "byteorder", "middle".getBytes(StandardCharsets.US_ASCII));
        assertTrue(failure(file).contains("unknown byteorder 'middle'"));
    }

    @Test
    void storageKeyMustBeAPlainName() {
        PickleBytes p = new PickleBytes().proto().op('}').str("w")
                .tensor("FloatStorage", "../0", 4, 0, FOUR, ONE).op('s', '.');
        assertTrue(failure(checkpoint(p)).contains("is not a plain name"));
    }

    @Test
    void selfContainingDictIsRefusedWhenFlattened() {
        // d = {'w': tensor}; d['self'] = d
        PickleBytes p = new PickleBytes().proto().op('}', 'q', 0).str("w")
                .tensor("FloatStorage", "0", 4, 0, FOUR, ONE).op('s').str("self").op('h', 0, 's', '.');
        String message = failure(checkpoint(p, "data/0", PickleBytes.floatsLE(1, 2, 3, 4)));
        assertTrue(message.contains("contain themselves"), message);
    }

    @Test
    void exponentiallySharedDictsAreCutOff() {
        // d0 = {'w': t}; d(k+1) = {'a': dk, 'b': dk} for 25 levels: 2^25 names from a 400-byte pickle
        PickleBytes p = new PickleBytes().proto().op('}', 'q', 0).str("w")
                .tensor("FloatStorage", "0", 4, 0, FOUR, ONE).op('s', '0');
        for (int level = 1; level <= 25; level++) {
            p.op('}', '(').str("a").op('h', level - 1).str("b").op('h', level - 1).op('u', 'q', level);
            p.op('0'); // POP: keep only the memo reference
        }
        p.op('}').str("top").op('h', 25, 's', '.');
        String message = failure(checkpoint(p, "data/0", PickleBytes.floatsLE(1, 2, 3, 4)));
        assertTrue(message.contains("dict entries to flatten"), message);
    }

    @Test
    void duplicateNamesAfterFlattening() {
        PickleBytes p = new PickleBytes().proto().op('}', '(')
                .str("a.b").tensor("FloatStorage", "0", 4, 0, FOUR, ONE)
                .str("a").op('}').str("b").tensor("FloatStorage", "0", 4, 0, FOUR, ONE).op('s')
                .op('u', '.');
        String message = failure(checkpoint(p, "data/0", PickleBytes.floatsLE(1, 2, 3, 4)));
        assertTrue(message.contains("two tensors are named 'a.b'"), message);
    }

    @Test
    void ambiguousCheckpointNeedsAnExplicitKey() throws IOException {
        PickleBytes p = new PickleBytes().proto().op('}', '(')
                .str("model").op('}').str("w").tensor("FloatStorage", "0", 4, 0, FOUR, ONE).op('s')
                .str("ema").op('}').str("w").tensor("HalfStorage", "1", 2, 0, new long[] {2}, ONE).op('s')
                .op('u', '.');
        Path file = checkpoint(p, "data/0", PickleBytes.floatsLE(1, 2, 3, 4), "data/1", new byte[] {0, 0x3c, 0, 0x40});
        TorchCheckpoint checkpoint = TorchCheckpoint.read(file);
        IOException e = assertThrows(IOException.class, checkpoint::stateDict);
        assertTrue(e.getMessage().contains("dicts of tensors under [model, ema]"), e.getMessage());
        assertEquals(List.of("w"), List.copyOf(checkpoint.stateDict("model").keySet()));
        assertArrayEquals(new float[] {1, 2}, checkpoint.stateDict("ema").get("w").toFloats());
        assertEquals(TorchDtype.FLOAT16, checkpoint.stateDict("ema").get("w").dtype());
    }
}
