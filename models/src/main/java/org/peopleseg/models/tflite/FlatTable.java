package org.peopleseg.models.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A read-only view of one FlatBuffers table: just enough of the format to read a TFLite file without generated
 * code. A table starts with a signed offset back to its vtable; the vtable lists, per field id, the field's offset
 * inside the table (0 = absent, the schema default applies). Reference fields (tables, vectors, strings) hold an
 * unsigned offset relative to where it is stored. Every access is bounds-checked, so a truncated or corrupt file
 * fails with {@link TfliteFormatException} instead of reading garbage.
 */
final class FlatTable {
    private final ByteBuffer buf;
    private final int pos;
    private final int vtable;
    private final int vtableSize;

    private FlatTable(ByteBuffer buf, int pos) {
        this.buf = buf;
        this.pos = pos;
        check(pos, 4);
        this.vtable = pos - buf.getInt(pos);
        check(vtable, 4);
        this.vtableSize = Short.toUnsignedInt(buf.getShort(vtable));
        check(vtable, vtableSize);
    }

    /** The root table of a buffer (first 4 bytes: offset to it). */
    static FlatTable root(ByteBuffer buf) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.limit() < 8) {
            throw new TfliteFormatException("file too short for a FlatBuffer (" + b.limit() + " bytes)");
        }
        return new FlatTable(b, b.getInt(0));
    }

    ByteBuffer buffer() {
        return buf;
    }

    /** Position of field {@code id}'s data, or 0 when absent. */
    private int field(int id) {
        int slot = 4 + 2 * id;
        if (slot + 2 > vtableSize) {
            return 0;
        }
        int off = Short.toUnsignedInt(buf.getShort(vtable + slot));
        return off == 0 ? 0 : pos + off;
    }

    boolean has(int id) {
        return field(id) != 0;
    }

    int getInt(int id, int dflt) {
        int p = field(id);
        if (p == 0) {
            return dflt;
        }
        check(p, 4);
        return buf.getInt(p);
    }

    long getLong(int id, long dflt) {
        int p = field(id);
        if (p == 0) {
            return dflt;
        }
        check(p, 8);
        return buf.getLong(p);
    }

    int getByte(int id, int dflt) {
        int p = field(id);
        if (p == 0) {
            return dflt;
        }
        check(p, 1);
        return buf.get(p);
    }

    boolean getBool(int id, boolean dflt) {
        return getByte(id, dflt ? 1 : 0) != 0;
    }

    float getFloat(int id, float dflt) {
        int p = field(id);
        if (p == 0) {
            return dflt;
        }
        check(p, 4);
        return buf.getFloat(p);
    }

    private int deref(int p) {
        check(p, 4);
        int target = p + buf.getInt(p);
        if (target < 0 || target >= buf.limit()) {
            throw new TfliteFormatException("reference out of the file at byte " + p);
        }
        return target;
    }

    /** The sub-table in field {@code id}, or null. */
    FlatTable table(int id) {
        int p = field(id);
        return p == 0 ? null : new FlatTable(buf, deref(p));
    }

    String string(int id) {
        int p = field(id);
        if (p == 0) {
            return null;
        }
        int s = deref(p);
        check(s, 4);
        int n = buf.getInt(s);
        check(s + 4, n);
        byte[] b = new byte[n];
        buf.get(s + 4, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Vector length of field {@code id} (0 when absent), checked to fit in the file at one byte an element at least,
     * so that a caller may size an array by it (a corrupt length of 2^31 must not allocate before failing).
     */
    int vectorLength(int id) {
        int p = field(id);
        if (p == 0) {
            return 0;
        }
        int v = deref(p);
        check(v, 4);
        int n = buf.getInt(v);
        check(v + 4, n);
        return n;
    }

    private int vectorStart(int id, int elemSize) {
        int v = deref(field(id));
        int n = buf.getInt(v);
        check(v + 4, (long) n * elemSize);
        return v + 4;
    }

    int[] ints(int id) {
        if (!has(id)) {
            return new int[0];
        }
        int n = vectorLength(id);
        int s = vectorStart(id, 4);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = buf.getInt(s + 4 * i);
        }
        return out;
    }

    long[] longs(int id) {
        if (!has(id)) {
            return new long[0];
        }
        int n = vectorLength(id);
        int s = vectorStart(id, 8);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = buf.getLong(s + 8 * i);
        }
        return out;
    }

    float[] floats(int id) {
        if (!has(id)) {
            return new float[0];
        }
        int n = vectorLength(id);
        int s = vectorStart(id, 4);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = buf.getFloat(s + 4 * i);
        }
        return out;
    }

    /** A [ubyte] vector as a little-endian slice of the file (no copy), or an empty buffer. */
    ByteBuffer bytes(int id) {
        if (!has(id)) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        }
        int n = vectorLength(id);
        int s = vectorStart(id, 1);
        return buf.slice(s, n).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Element {@code i} of a vector of tables. */
    FlatTable tableAt(int id, int i) {
        int s = vectorStart(id, 4);
        return new FlatTable(buf, deref(s + 4 * i));
    }

    private void check(long p, long n) {
        if (p < 0 || n < 0 || p + n > buf.limit()) {
            throw new TfliteFormatException("truncated or corrupt FlatBuffer: bytes " + p + "+" + n
                    + " lie outside the file (" + buf.limit() + " bytes)");
        }
    }
}
