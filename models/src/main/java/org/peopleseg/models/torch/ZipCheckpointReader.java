package org.peopleseg.models.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads the zip format {@code torch.save} writes since PyTorch 1.6:
 *
 * <pre>
 * archive/data.pkl     the pickled object; tensors reference storages by persistent id
 * archive/data/0       raw bytes of storage "0", in the byte order below
 * archive/data/1 ...
 * archive/byteorder    "little" or "big" (written since PyTorch 2.1; absent means little)
 * archive/version      format version
 * </pre>
 *
 * The top folder is named after the file the checkpoint was first saved as, so it is found from the one
 * entry {@code <folder>/data.pkl} rather than assumed. Storage records are read when the pickle first
 * references them, each once however many tensors view it.
 */
final class ZipCheckpointReader {
    /**
     * A deflated entry may inflate to at most this many times its compressed size (once past
     * {@link #RATIO_FREE_BYTES}): {@code torch.save} stores entries uncompressed, re-zipped weights deflate by
     * about 1.1x, and a zip bomb by up to ~1000x. The check uses the sizes the central directory declares, before
     * any byte is inflated, and reading stops at the declared size whatever the stream holds.
     */
    static final long MAX_INFLATE_RATIO = 100;
    /** Entries declaring at most this many bytes are not held to the ratio (small pickles deflate well). */
    static final long RATIO_FREE_BYTES = 1 << 20;

    private ZipCheckpointReader() {}

    static Object read(Path file) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new IOException("cannot read PyTorch checkpoint " + file + ": not a valid zip archive ("
                    + e.getMessage() + "); the file is truncated or corrupt", e);
        }
        try (zip) {
            String prefix;
            try {
                checkEntryNames(zip, file);
                prefix = findPrefix(zip, file);
            } catch (IllegalArgumentException e) { // ZipFile's answer to an entry name that is not UTF-8 (fuzzing finding)
                throw new IOException("cannot read PyTorch checkpoint " + file + ": corrupt zip archive (an entry name"
                        + " is not valid UTF-8: " + e.getMessage() + ")", e);
            }
            ByteOrder order = byteOrder(zip, prefix, file);
            ZipEntry pickleEntry = zip.getEntry(prefix + "data.pkl");
            String source = file + " (" + pickleEntry.getName() + ")";
            byte[] pickle = readEntry(zip, pickleEntry, file);

            Map<String, TorchStorage.Blob> blobs = new HashMap<>();
            SafeUnpickler.PersistentLoader loader = pid -> {
                StorageId id = StorageId.parse(pid, source, false);
                TorchStorage.Blob blob = blobs.get(id.key());
                if (blob == null) {
                    ZipEntry entry = zip.getEntry(prefix + "data/" + id.key());
                    if (entry == null) {
                        throw new IOException("corrupt checkpoint " + file + ": the pickle references storage '"
                                + id.key() + "' but there is no entry " + prefix + "data/" + id.key());
                    }
                    blob = new TorchStorage.Blob(id.key(), ByteBuffer.wrap(readEntry(zip, entry, file)).order(order));
                    blobs.put(id.key(), blob);
                }
                if (id.byteLength() > blob.byteLength()) {
                    throw new IOException("corrupt checkpoint " + file + ": storage entry " + prefix + "data/"
                            + id.key() + " holds " + blob.byteLength() + " bytes but the pickle expects "
                            + id.numel() + " " + id.dtype() + " elements (" + id.byteLength() + " bytes)");
                }
                return new TorchStorage(id.dtype(), blob, 0, id.numel());
            };
            return new SafeUnpickler(ByteBuffer.wrap(pickle), source, new TorchGlobals(source), loader).load();
        }
    }

    /**
     * Refuses archives whose entry names could mean something else to another reader: paths that climb out
     * ({@code ..}), absolute or Windows paths, and names that appear twice (two readers may pick different
     * copies). This reader never writes entries to disk, but a checkpoint carrying such names is crafted, and
     * tools that unzip it would write outside their folder.
     */
    private static void checkEntryNames(ZipFile zip, Path file) throws UnsafeCheckpointException {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            String name = e.nextElement().getName();
            String problem = null;
            if (name.startsWith("/") || name.contains("\\") || name.indexOf('\0') >= 0) {
                problem = "is an absolute or non-portable path";
            } else if (java.util.Arrays.asList(name.split("/", -1)).contains("..")) {
                problem = "climbs out of the archive ('..')";
            } else if (!seen.add(name)) {
                problem = "appears twice";
            }
            if (problem != null) {
                throw new UnsafeCheckpointException("refusing to load " + file + ": zip entry '"
                        + (name.length() > 80 ? name.substring(0, 80) + "…" : name) + "' " + problem);
            }
        }
    }

    /** The {@code <folder>/} holding {@code data.pkl}; refuses TorchScript archives with a clear message. */
    private static String findPrefix(ZipFile zip, Path file) throws IOException {
        List<String> candidates = new ArrayList<>();
        boolean torchScript = false;
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            String name = e.nextElement().getName();
            int slash = name.indexOf('/');
            if (slash > 0 && name.indexOf('/', slash + 1) < 0 && name.endsWith("/data.pkl")
                    && name.length() == slash + "/data.pkl".length()) {
                candidates.add(name.substring(0, slash + 1));
            }
            torchScript |= name.endsWith("/constants.pkl") || name.contains("/code/__torch__");
        }
        if (torchScript) {
            throw new IOException("cannot read " + file + ": it is a TorchScript archive (torch.jit.save), not a"
                    + " torch.save checkpoint; save the module's state_dict() with torch.save instead");
        }
        if (candidates.size() != 1) {
            throw new IOException("cannot read " + file + ": not a PyTorch checkpoint (expected one <folder>/data.pkl"
                    + " entry in the zip, found " + candidates.size() + ")");
        }
        return candidates.get(0);
    }

    private static ByteOrder byteOrder(ZipFile zip, String prefix, Path file) throws IOException {
        ZipEntry entry = zip.getEntry(prefix + "byteorder");
        if (entry == null) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        String value = new String(readEntry(zip, entry, file), StandardCharsets.US_ASCII).trim();
        return switch (value) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new IOException("corrupt checkpoint " + file + ": unknown byteorder '" + value + "'");
        };
    }

    private static byte[] readEntry(ZipFile zip, ZipEntry entry, Path file) throws IOException {
        long size = entry.getSize();
        if (size < 0) {
            throw new IOException("corrupt checkpoint " + file + ": entry " + entry.getName()
                    + " declares no uncompressed size");
        }
        long compressed = entry.getCompressedSize();
        if (entry.getMethod() != ZipEntry.STORED && size > RATIO_FREE_BYTES
                && (compressed <= 0 || size / compressed >= MAX_INFLATE_RATIO)) {
            throw new UnsafeCheckpointException("refusing to load " + file + ": zip entry '" + entry.getName()
                    + "' would inflate " + compressed + " bytes to " + size + " (more than " + MAX_INFLATE_RATIO
                    + "x; a zip bomb?)");
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException("cannot read " + file + ": entry " + entry.getName() + " is larger than 2 GB");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) size);
            if (bytes.length != size || in.read() >= 0) {
                throw new IOException("corrupt checkpoint " + file + ": entry " + entry.getName() + " should hold "
                        + size + " bytes but holds " + (bytes.length == size ? "more" : bytes.length));
            }
            return bytes;
        } catch (ZipException | java.io.EOFException e) { // EOFException has no message (fuzzing finding)
            throw new IOException("corrupt checkpoint " + file + ": cannot read entry " + entry.getName() + " ("
                    + (e.getMessage() != null ? e.getMessage() : "it ends early: the file is truncated") + ")", e);
        }
    }
}
