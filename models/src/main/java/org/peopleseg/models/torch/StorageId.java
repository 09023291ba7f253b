package org.peopleseg.models.torch;

import java.io.IOException;

/**
 * A storage reference as {@code torch.save} writes it in a persistent id ({@code BINPERSID}):
 * {@code ('storage', torch.FloatStorage, key, location, numel)} in the zip format, with a sixth element,
 * the storage-view metadata {@code None} or {@code (view_key, offset, size)}, in the legacy format.
 *
 * <p>{@code location} ({@code 'cpu'}, {@code 'cuda:0'}) is ignored: everything is read to the CPU, as with
 * {@code map_location='cpu'}.
 *
 * @param numel number of elements of {@code dtype} in the storage named by {@code key}
 * @param view {@code null}, or the legacy view of that storage the id stands for
 */
record StorageId(TorchDtype dtype, String key, long numel, View view) {

    /** A legacy storage view: {@code size} elements from {@code offset}, cached under {@code key}. */
    record View(String key, long offset, long size) {}

    static StorageId parse(Object pid, String source, boolean legacy) throws IOException {
        int arity = legacy ? 6 : 5;
        if (!(pid instanceof SafeUnpickler.Tuple t) || t.size() != arity || !"storage".equals(t.get(0))) {
            throw corrupt(source, "persistent id " + SafeUnpickler.describe(pid) + " is not a storage reference"
                    + " ('storage', type, key, location, numel" + (legacy ? ", view" : "") + ")");
        }
        if (!(t.get(1) instanceof TorchDtype dtype)) {
            throw corrupt(source, "storage type is " + SafeUnpickler.describe(t.get(1)));
        }
        String key = keyOf(t.get(2), source);
        if (!(t.get(3) instanceof String)) {
            throw corrupt(source, "storage location is " + SafeUnpickler.describe(t.get(3)));
        }
        long numel = nonNegative(t.get(4), "storage size", source);
        View view = null;
        if (legacy && t.get(5) != null) {
            if (!(t.get(5) instanceof SafeUnpickler.Tuple v) || v.size() != 3) {
                throw corrupt(source, "storage view is " + SafeUnpickler.describe(t.get(5)));
            }
            view = new View(keyOf(v.get(0), source), nonNegative(v.get(1), "view offset", source),
                    nonNegative(v.get(2), "view size", source));
            if (view.offset() + view.size() > numel) {
                throw corrupt(source, "storage view " + view + " exceeds its storage of " + numel + " elements");
            }
        }
        if (Math.multiplyHigh(numel, dtype.byteSize()) != 0 || numel * dtype.byteSize() > Integer.MAX_VALUE - 8) {
            throw new IOException("cannot read " + source + ": storage '" + key + "' of " + numel + " " + dtype
                    + " elements is larger than 2 GB");
        }
        return new StorageId(dtype, key, numel, view);
    }

    long byteLength() {
        return numel * dtype.byteSize();
    }

    private static String keyOf(Object value, String source) throws IOException {
        if (!(value instanceof String key) || key.isEmpty() || key.contains("/") || key.contains("\\")
                || key.equals(".") || key.equals("..") || key.indexOf('\0') >= 0) {
            throw corrupt(source, "storage key " + SafeUnpickler.describe(value) + " is not a plain name");
        }
        return key;
    }

    private static long nonNegative(Object value, String what, String source) throws IOException {
        if (!(value instanceof Long n) || n < 0) {
            throw corrupt(source, what + " is " + SafeUnpickler.describe(value) + ", not a non-negative int");
        }
        return n;
    }

    private static IOException corrupt(String source, String what) {
        return new IOException("corrupt checkpoint " + source + ": " + what);
    }
}
