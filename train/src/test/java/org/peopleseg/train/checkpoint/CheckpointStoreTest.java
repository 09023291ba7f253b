package org.peopleseg.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.models.maskrcnn.WeightTensor;

class CheckpointStoreTest {

    static TrainingState state(long step, float offset) {
        Map<String, WeightTensor> w = new LinkedHashMap<>();
        float[] big = new float[50_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = i * 0.001f + offset;
        }
        w.put("backbone.body.conv1.weight", new WeightTensor(new long[] {50, 1000}, big));
        w.put("rpn.head.conv.0.0.bias", new WeightTensor(new long[] {3}, new float[] {1f, -2f, Float.MIN_VALUE}));
        return new TrainingState(step, 42, "abc", w, List.of("backbone.body.conv1.weight", "rpn.head.conv.0.0.bias"),
                Arrays.asList(big.clone(), null), Map.of("loss_total", 1.5));
    }

    @Test
    void roundTripsWeightsVelocityAndStepBitForBit(@TempDir Path tmp) throws IOException {
        CheckpointStore store = new CheckpointStore(tmp);
        TrainingState s = state(100, 0.5f);
        store.save(s);
        TrainingState r = store.latest().orElseThrow();
        assertEquals(100, r.step());
        assertEquals(42, r.seed());
        assertEquals("abc", r.specSha256());
        for (String name : s.weights().keySet()) {
            assertArrayEquals(s.weights().get(name).shape(), r.weights().get(name).shape());
            assertArrayEquals(s.weights().get(name).values(), r.weights().get(name).values(), 0f);
        }
        assertArrayEquals(s.velocity().get(0), r.velocity().get(0), 0f);
        assertNull(r.velocity().get(1));
        assertEquals(1.5, r.losses().get("loss_total"));
    }

    @Test
    void aFullDiskIsAClearErrorAndThePreviousCheckpointStaysIntact(@TempDir Path tmp) throws IOException {
        CheckpointStore store = new CheckpointStore(tmp);
        store.save(state(100, 0.5f));
        Path previous = store.fileFor(100);
        byte[] before = Files.readAllBytes(previous);
        // the disk fills after 64 KB of the next checkpoint
        IOException e = assertThrows(IOException.class, () -> CheckpointFormat.write(store.fileFor(200), state(200, 1f),
                out -> new FullDisk(out, 64 * 1024)));
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(previous));
        try (Stream<Path> files = Files.list(store.dir())) {
            assertEquals(List.of(previous), files.toList(), "no partial file is left behind");
        }
        assertEquals(100, store.latest().orElseThrow().step());
    }

    @Test
    void theStoreNamesTheFileAndThePreviousCheckpointWhenWritingFails(@TempDir Path tmp) throws IOException {
        CheckpointStore store = new CheckpointStore(tmp);
        store.save(state(100, 0.5f));
        // a directory where the next checkpoint should go makes the final rename fail, as a read-only disk would
        Files.createDirectories(store.fileFor(200).resolve("blocker"));
        IOException e = assertThrows(IOException.class, () -> store.save(state(200, 1f)));
        assertTrue(e.getMessage().startsWith("could not write checkpoint " + store.fileFor(200)), e.getMessage());
        assertTrue(e.getMessage().endsWith("the previous checkpoint " + store.fileFor(100) + " is intact"), e.getMessage());
        assertEquals(100, CheckpointFormat.read(store.fileFor(100)).step());
    }

    @Test
    void aTruncatedCheckpointIsRefusedByName(@TempDir Path tmp) throws IOException {
        CheckpointStore store = new CheckpointStore(tmp);
        Path file = store.save(state(100, 0.5f));
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length / 2));
        IOException e = assertThrows(IOException.class, () -> CheckpointFormat.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    /** An output stream that fails like a full disk after {@code limit} bytes. */
    static final class FullDisk extends FilterOutputStream {
        private long left;

        FullDisk(OutputStream out, long limit) {
            super(out);
            this.left = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                throw new IOException("No space left on device");
            }
            left -= len;
            out.write(b, off, len);
        }
    }
}
