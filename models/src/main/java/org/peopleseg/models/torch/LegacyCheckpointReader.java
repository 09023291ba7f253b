package org.peopleseg.models.torch;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the format {@code torch.save} wrote before PyTorch 1.6 (and still writes with
 * {@code _use_new_zipfile_serialization=False}); many published checkpoints, torchvision's older
 * pretrained weights among them, are in it. The file is five pickles in a row followed by raw storages:
 *
 * <pre>
 * magic number 0x1950a86a20f9469cfc6c   (LONG1)
 * protocol version 1001
 * sys_info {'protocol_version', 'little_endian', 'type_sizes'}
 * the object; tensors reference storages by persistent id (key, numel, optional view)
 * the list of storage keys, in the order their records follow
 * per key: int64 element count, then that many elements
 * </pre>
 *
 * Storages are therefore named before their bytes are seen: blobs are created empty while the object is
 * unpickled and filled afterwards, and the sizes the pickle declared are checked against the records.
 */
final class LegacyCheckpointReader {
    static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long PROTOCOL_VERSION = 1001;
    private static final SafeUnpickler.Globals NO_GLOBALS = (module, name) -> null;

    private LegacyCheckpointReader() {}

    /** A storage record the pickle referenced: its blob and the size its first reference declared. */
    private record Root(TorchStorage.Blob blob, TorchDtype dtype, long numel) {
        long bytes() {
            return numel * dtype.byteSize();
        }
    }

    /** @param data the whole file */
    static Object read(Path file, byte[] data) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(data);
        String source = file.toString();
        Object magic = new SafeUnpickler(in, source, NO_GLOBALS, null).load();
        if (!MAGIC.equals(magic)) {
            throw new IOException("cannot read " + file + ": not a PyTorch checkpoint (wrong magic number)");
        }
        Object protocol = new SafeUnpickler(in, source, NO_GLOBALS, null).load();
        if (!Long.valueOf(PROTOCOL_VERSION).equals(protocol)) {
            throw new IOException("cannot read " + file + ": unsupported legacy protocol version " + protocol);
        }
        ByteOrder order = byteOrder(new SafeUnpickler(in, source, NO_GLOBALS, null).load(), file);

        Map<String, Root> roots = new HashMap<>();
        SafeUnpickler.PersistentLoader loader = pid -> {
            StorageId id = StorageId.parse(pid, source, true);
            Root root = roots.get(id.key());
            if (root == null) {
                root = new Root(new TorchStorage.Blob(id.key()), id.dtype(), id.numel());
                roots.put(id.key(), root);
            } else if (id.byteLength() > root.bytes()) {
                throw new IOException("corrupt checkpoint " + file + ": storage '" + id.key() + "' is declared with "
                        + root.bytes() + " bytes and with " + id.byteLength());
            }
            StorageId.View view = id.view();
            return view == null
                    ? new TorchStorage(id.dtype(), root.blob(), 0, id.numel())
                    : new TorchStorage(id.dtype(), root.blob(), view.offset(), view.size());
        };
        Object result = new SafeUnpickler(in, source, new TorchGlobals(source), loader).load();

        Object keys = new SafeUnpickler(in, source, NO_GLOBALS, null).load();
        if (!(keys instanceof List<?> keyList)) {
            throw new IOException("corrupt checkpoint " + file + ": storage key list is " + SafeUnpickler.describe(keys));
        }
        in.order(order);
        for (Object key : keyList) {
            Root root = key instanceof String k ? roots.get(k) : null;
            if (root == null || root.blob().isFilled()) {
                throw new IOException("corrupt checkpoint " + file + ": storage key " + SafeUnpickler.describe(key)
                        + " is listed but not referenced, or listed twice");
            }
            if (in.remaining() < 8) {
                throw truncated(file, root);
            }
            long count = in.getLong();
            if (count != root.numel()) {
                throw new IOException("corrupt checkpoint " + file + ": storage '" + key + "' holds " + count
                        + " elements but the pickle declared " + root.numel());
            }
            if (in.remaining() < root.bytes()) {
                throw truncated(file, root);
            }
            ByteBuffer bytes = in.slice().limit((int) root.bytes()).order(order);
            root.blob().fill(bytes);
            in.position(in.position() + (int) root.bytes());
        }
        for (Root root : roots.values()) {
            if (!root.blob().isFilled()) {
                throw new IOException("corrupt checkpoint " + file + ": storage '" + root.blob().key()
                        + "' is referenced but has no data record");
            }
        }
        return result;
    }

    private static ByteOrder byteOrder(Object sysInfo, Path file) throws IOException {
        if (!(sysInfo instanceof Map<?, ?> info) || !(info.get("little_endian") instanceof Boolean little)) {
            throw new IOException("corrupt checkpoint " + file + ": sys_info is " + SafeUnpickler.describe(sysInfo));
        }
        return little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    private static IOException truncated(Path file, Root root) {
        return new IOException("corrupt checkpoint " + file + ": the file ends inside the data of storage '"
                + root.blob().key() + "' (" + root.numel() + " " + root.dtype() + " elements); it is truncated");
    }
}
