package org.peopleseg.core.io;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A JSON document produced on the fly, never held anywhere: {@code head}, then {@code unit} repeated
 * {@code repeats} times, then {@code tail}. It stands in for files too large to write (a billion-vertex polygon,
 * a 1 GB string), and counts how many bytes the reader took before it gave up.
 */
public final class GeneratedJson extends InputStream {
    private final byte[] head;
    private final byte[] unit;
    private final byte[] tail;
    private final long length;
    private long position;

    public GeneratedJson(String head, String unit, long repeats, String tail) {
        this.head = head.getBytes(StandardCharsets.UTF_8);
        this.unit = unit.getBytes(StandardCharsets.UTF_8);
        this.tail = tail.getBytes(StandardCharsets.UTF_8);
        this.length = this.head.length + repeats * this.unit.length + this.tail.length;
    }

    /** Bytes handed out so far. */
    public long bytesRead() {
        return position;
    }

    /** The whole document's length, had it been written. */
    public long length() {
        return length;
    }

    @Override
    public int read() {
        if (position >= length) {
            return -1;
        }
        return byteAt(position++) & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(len, length - position);
        for (int i = 0; i < n; i++) {
            b[off + i] = byteAt(position++);
        }
        return n;
    }

    private byte byteAt(long at) {
        if (at < head.length) {
            return head[(int) at];
        }
        long inBody = at - head.length;
        long bodyLength = length - head.length - tail.length;
        if (inBody < bodyLength) {
            return unit[(int) (inBody % unit.length)];
        }
        return tail[(int) (inBody - bodyLength)];
    }
}
