package org.peopleseg.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReplaces() throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFiles.writeString(f, "first");
        AtomicFiles.writeString(f, "second, longer");
        assertEquals("second, longer", Files.readString(f));
        assertEquals(List.of("a.txt"), names());
    }

    @Test
    void failingWriterLeavesNoFileAndNoTempFile() throws IOException {
        Path f = dir.resolve("results.json");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk on fire");
        }));
        assertEquals("disk on fire", e.getMessage());
        assertFalse(Files.exists(f));
        assertEquals(List.of(), names());
    }

    @Test
    void failingWriterKeepsTheOldContent() throws IOException {
        Path f = dir.resolve("results.json");
        AtomicFiles.writeString(f, "old");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[100_000]);
            throw new IllegalStateException("bug");
        }));
        assertEquals("old", Files.readString(f));
        assertEquals(List.of("results.json"), names());
    }

    @Test
    void writerMayCloseTheStreamAndLargeContentArrivesWhole() throws IOException {
        Path f = dir.resolve("sub/dir/big.bin"); // parents are created
        byte[] data = new byte[1_000_003];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        AtomicFiles.write(f, out -> {
            try (OutputStream o = out) {
                o.write(data, 0, 10);
                o.write(data, 10, data.length - 10);
            }
        });
        assertArrayEquals(data, Files.readAllBytes(f));
    }

    @Test
    void pendingFileIsDiscardedUnlessCommitted() throws IOException {
        Path f = dir.resolve("stream.json");
        try (AtomicFiles.Pending p = AtomicFiles.open(f)) {
            p.stream().write('[');
            assertEquals(1, names().size()); // only the hidden temporary file
            assertFalse(Files.exists(f));
        }
        assertEquals(List.of(), names());

        try (AtomicFiles.Pending p = AtomicFiles.open(f)) {
            p.stream().write("[]".getBytes(StandardCharsets.UTF_8));
            p.commit();
            assertThrows(IllegalStateException.class, p::stream);
        }
        assertEquals("[]", Files.readString(f));
        assertEquals(List.of("stream.json"), names());
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
