package org.peopleseg.train.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.UnaryOperator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.peopleseg.core.io.AtomicFiles;
import org.peopleseg.core.io.UntrustedJson;

/**
 * The container both trainers' checkpoints use ({@link CheckpointFormat}'s layout): a stored (uncompressed) zip
 * of float32 little-endian entries and a {@code state.json} written last, so a file without {@code state.json} is
 * incomplete. Written atomically (temporary file, fsync, rename). The trainers differ only in what their
 * state.json names; the keys they share ({@code format}, {@code trainer}, {@code step}, {@code seed},
 * {@code spec_sha256}, {@code losses}, {@code weights}, {@code optimizer}) mean the same in both.
 */
public final class CheckpointZip {
    private static final ObjectMapper JSON = UntrustedJson.mapper();   // checkpoints may come from elsewhere

    private CheckpointZip() {}

    /** Writes {@code entries} (name to values, in order) and then {@code state} as state.json. */
    public static void write(Path target, ObjectNode state, Map<String, float[]> entries) throws IOException {
        write(target, state, entries, UnaryOperator.identity());
    }

    /** @param wrap a filter around the file's stream (tests use it to make the disk "full") */
    static void write(Path target, ObjectNode state, Map<String, float[]> entries, UnaryOperator<OutputStream> wrap)
            throws IOException {
        AtomicFiles.write(target, raw -> {
            ZipOutputStream zip = new ZipOutputStream(wrap.apply(raw));
            zip.setLevel(0);
            for (Map.Entry<String, float[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : e.getValue()) {
                    if (!buf.hasRemaining()) {
                        zip.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    buf.putFloat(f);
                }
                zip.write(buf.array(), 0, buf.position());
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("state.json"));
            zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
            zip.closeEntry();
            zip.finish();
            zip.flush();
        });
    }

    /** A checkpoint read back: its state.json and its raw entries. */
    public record Contents(Path file, JsonNode state, Map<String, byte[]> entries) {
        /** @throws IOException naming the file and entry when it is missing or not whole floats */
        public float[] floats(String name) throws IOException {
            byte[] b = entries.get(name);
            if (b == null || b.length % 4 != 0) {
                throw new IOException(file + ": entry " + name + " is missing or truncated");
            }
            float[] f = new float[b.length / 4];
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
            return f;
        }
    }

    /**
     * @param format the expected {@code format} value
     * @throws IOException naming the file when it is unreadable, incomplete or of another format
     */
    public static Contents read(Path file, String format) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new IOException(file + ": not a readable checkpoint (" + e.getMessage() + ")", e);
        }
        byte[] stateJson = entries.remove("state.json");
        if (stateJson == null) {
            throw new IOException(file + ": not a complete checkpoint (no state.json)");
        }
        JsonNode root = JSON.readTree(stateJson);
        if (!format.equals(root.path("format").asText())) {
            throw new IOException(file + ": format is \"" + root.path("format").asText() + "\", expected " + format);
        }
        return new Contents(file, root, entries);
    }
}
