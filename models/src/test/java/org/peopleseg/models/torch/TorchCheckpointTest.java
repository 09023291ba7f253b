package org.peopleseg.models.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads the checkpoints written by tools/fixtures/torch/make_checkpoints.py with real torch 1.13 and
 * compares every element with the values torch itself printed into the JSON sidecars.
 */
class TorchCheckpointTest {

    /**
     * A fixture file. Checkpoints are kept as base64 text (NAME.pt.b64; the repository holds no binary .pt files)
     * and decoded here into a temporary NAME.pt; "truncated.pt" is the first 60% of tiny_state_dict.pt.
     */
    static Path fixture(String name) {
        try {
            if (name.equals("truncated.pt")) {
                byte[] whole = Files.readAllBytes(fixture("tiny_state_dict.pt"));
                return deleteOnExit(Files.write(decodedDir().resolve(name),
                        java.util.Arrays.copyOf(whole, whole.length * 6 / 10)));
            }
            if (name.endsWith(".pt")) {
                Path out = decodedDir().resolve(name);
                if (!Files.exists(out)) {
                    String text = Files.readString(resource(name + ".b64")).replaceAll("\\s", "");
                    deleteOnExit(Files.write(out, java.util.Base64.getDecoder().decode(text)));
                }
                return out;
            }
            return resource(name);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path resource(String name) {
        try {
            return Path.of(TorchCheckpointTest.class.getResource("/torch/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource torch/" + name, e);
        }
    }

    private static Path deleteOnExit(Path p) {
        p.toFile().deleteOnExit();
        return p;
    }

    private static Path decoded;

    private static synchronized Path decodedDir() throws IOException {
        if (decoded == null) {
            decoded = Files.createTempDirectory("torch-fixtures");
            decoded.toFile().deleteOnExit();
        }
        return decoded;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> sidecar(String name) throws IOException {
        return (Map<String, Object>) MiniJson.parse(Files.readString(fixture(name)));
    }

    /** Asserts that {@code actual} holds exactly the tensors the sidecar lists, in its order, element by element. */
    @SuppressWarnings("unchecked")
    static void assertMatchesSidecar(Map<String, Object> expected, Map<String, TorchTensor> actual) {
        List<Map<String, Object>> tensors = (List<Map<String, Object>>) expected.get("tensors");
        List<String> expectedNames = new ArrayList<>();
        tensors.forEach(t -> expectedNames.add((String) t.get("name")));
        assertEquals(expectedNames, new ArrayList<>(actual.keySet()), "tensor names in state_dict order");
        for (Map<String, Object> t : tensors) {
            String name = (String) t.get("name");
            TorchTensor tensor = actual.get(name);
            assertEquals(t.get("dtype"), tensor.dtype().typeName(), name);
            long[] shape = ((List<Object>) t.get("shape")).stream().mapToLong(v -> (Long) v).toArray();
            assertArrayEquals(shape, tensor.shape(), name);
            List<Object> values = (List<Object>) t.get("values");
            assertEquals(values.size(), tensor.numel(), name);
            if (tensor.dtype().isFloatingPoint()) {
                double[] doubles = tensor.toDoubles();
                float[] floats = tensor.toFloats();
                for (int i = 0; i < values.size(); i++) {
                    double v = ((Number) values.get(i)).doubleValue();
                    assertEquals(v, doubles[i], 0.0, name + "[" + i + "]");
                    assertEquals((float) v, floats[i], 0.0f, name + "[" + i + "] as float");
                }
            } else {
                long[] longs = tensor.toLongs();
                float[] floats = tensor.toFloats();
                for (int i = 0; i < values.size(); i++) {
                    long v = (Long) values.get(i);
                    assertEquals(v, longs[i], name + "[" + i + "]");
                    assertEquals((float) v, floats[i], 0.0f, name + "[" + i + "] as float");
                }
            }
            assertEquals(t.get("contiguous"), tensor.isContiguous(), name + " contiguity");
        }
        for (Object pair : (List<Object>) expected.get("sharedStorage")) {
            List<Object> names = (List<Object>) pair;
            assertTrue(actual.get((String) names.get(0)).sharesStorageWith(actual.get((String) names.get(1))),
                    names + " share one storage");
        }
    }

    @Test
    void readsEveryTensorOfAStateDictExactly() throws IOException {
        Map<String, TorchTensor> sd = TorchCheckpoint.readStateDict(fixture("tiny_state_dict.pt"));
        assertMatchesSidecar(sidecar("tiny_state_dict.json"), sd);

        TorchTensor steps = sd.get("bn.num_batches_tracked");
        assertEquals(TorchDtype.INT64, steps.dtype());
        assertEquals(0, steps.rank());
        assertEquals(1, steps.numel());
        assertArrayEquals(new long[] {42}, steps.toLongs());
        assertFalse(sd.get("shared.t").isContiguous());
        assertFalse(sd.get("bn.weight").sharesStorageWith(sd.get("bn.bias")));
    }

    @Test
    void metadataAttributeOfTheStateDictIsIgnored() throws IOException {
        TorchCheckpoint checkpoint = TorchCheckpoint.read(fixture("tiny_state_dict.pt"));
        Map<?, ?> root = assertInstanceOf(Map.class, checkpoint.root());
        assertFalse(root.containsKey("_metadata"));
        assertEquals("conv.weight", root.keySet().iterator().next());
        Map<?, ?> extra = assertInstanceOf(Map.class, root.get("extra"));
        assertInstanceOf(Map.class, extra.get("deeper"));
    }

    @Test
    void findsTheStateDictInsideATrainingCheckpoint() throws IOException {
        TorchCheckpoint wrapped = TorchCheckpoint.read(fixture("tiny_wrapped.pt"));
        Map<String, TorchTensor> plain = TorchCheckpoint.readStateDict(fixture("tiny_state_dict.pt"));
        assertEquals(plain, wrapped.stateDict());
        assertEquals(plain, wrapped.stateDict("model"));
        assertMatchesSidecar(sidecar("tiny_state_dict.json"), wrapped.stateDict());

        Map<?, ?> root = (Map<?, ?>) wrapped.root();
        assertEquals(7L, root.get("epoch"));
        Map<?, ?> meta = (Map<?, ?>) root.get("meta");
        assertEquals("tiny", meta.get("name"));
        assertEquals(0.01, meta.get("lr"));
        assertEquals(java.util.Arrays.asList(true, null), meta.get("flags"));
        assertEquals(List.of(1L, 2L), meta.get("pair"));
        assertTrue(wrapped.stateDict("meta").isEmpty());

        IOException missing = assertThrows(IOException.class, () -> wrapped.stateDict("optimizer"));
        assertTrue(missing.getMessage().contains("[model, epoch, meta]"), missing.getMessage());
        Map<String, TorchTensor> extra = wrapped.stateDict("model", "extra");
        assertEquals(List.of("inner", "deeper.leaf"), new ArrayList<>(extra.keySet()));
        assertEquals(plain.get("extra.inner"), extra.get("inner"));
    }

    @Test
    void readsTheLegacyPre16Format() throws IOException {
        Map<String, TorchTensor> sd = TorchCheckpoint.readStateDict(fixture("tiny_legacy.pt"));
        assertMatchesSidecar(sidecar("tiny_state_dict.json"), sd);
        assertEquals(TorchCheckpoint.readStateDict(fixture("tiny_state_dict.pt")), sd);
    }

    @Test
    void readsBigEndianStoragesAndWritesLittleEndianRawBytes() throws IOException {
        Map<String, TorchTensor> sd = TorchCheckpoint.readStateDict(fixture("tiny_bigendian.pt"));
        assertMatchesSidecar(sidecar("tiny_bigendian.json"), sd);
        for (String name : List.of("x", "xt")) {
            float[] values = sd.get(name).toFloats();
            ByteBuffer raw = ByteBuffer.wrap(sd.get(name).toRawBytes()).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                assertEquals(v, raw.getFloat(), 0.0f);
            }
        }
        ByteBuffer raw = ByteBuffer.wrap(sd.get("n").toRawBytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1L << 50, raw.getLong(16));
    }

    @Test
    void rawBytesOfHalfTensorsAreLittleEndianHalves() throws IOException {
        TorchTensor half = TorchCheckpoint.readStateDict(fixture("tiny_state_dict.pt")).get("half.tiny");
        ByteBuffer raw = ByteBuffer.wrap(half.toRawBytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(8, raw.capacity());
        assertEquals(65504.0f, TorchTensor.halfToFloat(raw.getShort(4)));
    }

    @Test
    void refusesAPickleThatCallsOsSystem() {
        Path file = fixture("malicious_os_system.pt");
        UnsafeCheckpointException e = assertThrows(UnsafeCheckpointException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().startsWith("refusing to load " + file), e.getMessage());
        assertTrue(e.getMessage().contains("global 'os system' is not allowed"), e.getMessage());
    }

    @Test
    void reportsATruncatedFileClearly() {
        Path file = fixture("truncated.pt");
        IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.read(file));
        assertFalse(e instanceof UnsafeCheckpointException);
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 200, 1000, 2000, 3000})
    void reportsATruncatedLegacyFileClearly(int keep, @TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(fixture("tiny_legacy.pt"));
        Path file = Files.write(dir.resolve("cut.pt"), java.util.Arrays.copyOf(whole, keep));
        IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("ends unexpectedly"),
                e.getMessage());
    }

    @Test
    void reportsAMissingFile(@TempDir Path dir) {
        assertThrows(NoSuchFileException.class, () -> TorchCheckpoint.read(dir.resolve("absent.pth")));
    }

    @Test
    void tensorsAreValuesWithDefensiveCopies() throws IOException {
        Map<String, TorchTensor> sd = TorchCheckpoint.readStateDict(fixture("tiny_state_dict.pt"));
        TorchTensor w = sd.get("conv.weight");
        w.shape()[0] = 99;
        w.toFloats()[0] = 99f;
        assertArrayEquals(new long[] {3, 2, 3, 3}, w.shape());
        assertTrue(w.toFloats()[0] != 99f);
        assertEquals("TorchTensor[float32 [3, 2, 3, 3]]", w.toString());
        assertThrows(UnsupportedOperationException.class, () -> sd.put("x", w));
        assertThrows(IllegalStateException.class, w::toLongs);
        assertEquals(0, sd.get("empty").numel());
        assertEquals(0, sd.get("empty").toFloats().length);
        assertNull(((Map<?, ?>) TorchCheckpoint.read(fixture("tiny_wrapped.pt")).root()).get("absent"));
    }
}
