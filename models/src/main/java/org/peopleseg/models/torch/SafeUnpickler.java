package org.peopleseg.models.torch;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle interpreter that builds only plain data, never arbitrary objects.
 *
 * <p>Python's own unpickler imports and calls whatever a {@code GLOBAL}/{@code REDUCE} pair names, so
 * loading an untrusted {@code .pth} with it runs code of the file author's choosing. This one knows no
 * Python classes at all: every {@code GLOBAL} is looked up in a {@link Globals} allow-list supplied by the
 * caller, a name not on it is refused with {@link UnsafeCheckpointException} the moment it is read, and
 * {@code REDUCE} can only invoke the Java {@link PyCallable}s that list returns. The object-constructing
 * opcodes ({@code INST}, {@code OBJ}, {@code NEWOBJ}, {@code NEWOBJ_EX}) are refused the same way, and the
 * extension registry is not implemented.
 *
 * <p>Python values become: str → {@link String}; int → {@link Long}, or {@link BigInteger} beyond 64 bits;
 * float → {@link Double}; bool → {@link Boolean}; None → {@code null}; bytes → {@code byte[]}; list →
 * mutable {@link ArrayList}; tuple → unmodifiable {@link List}; dict → {@link LinkedHashMap} in insertion
 * order. Dict keys must be hashable scalars or tuples of them, which keeps hashing free of cycles. The
 * interpreter is a loop over an explicit stack, so deeply nested input cannot overflow the Java stack, and
 * every length read from the input is checked against the bytes that remain before anything is allocated.
 *
 * <p>Supported: the binary opcodes Python 3 emits for such data at protocol 2 (what {@code torch.save}
 * uses), plus {@code LIST}/{@code DICT} and the protocol 3–5 opcodes a newer writer could emit for the same
 * data ({@code SHORT_BINUNICODE}, {@code BINBYTES}, {@code STACK_GLOBAL}, {@code MEMOIZE}, {@code FRAME},
 * ...). Not supported, with a clear error: protocol 0 text opcodes, Python 2 byte strings
 * ({@code BINSTRING}), sets and out-of-band buffers.
 */
final class SafeUnpickler {

    /** The caller's allow-list: the object a {@code GLOBAL} stands for, or {@code null} to refuse it. */
    @FunctionalInterface
    interface Globals {
        Object resolve(String module, String name);
    }

    /** A Java implementation of an allowed Python callable; {@code REDUCE} passes the argument tuple. */
    @FunctionalInterface
    interface PyCallable {
        Object call(List<Object> args) throws IOException;
    }

    /** Turns the value of a {@code BINPERSID} (for torch: a storage reference tuple) into an object. */
    @FunctionalInterface
    interface PersistentLoader {
        Object load(Object persistentId) throws IOException;
    }

    /** A Python tuple: immutable, and allowed as a dict key. */
    static final class Tuple extends AbstractList<Object> implements java.util.RandomAccess {
        static final Tuple EMPTY = new Tuple(new Object[0]);
        private final Object[] items;

        private Tuple(Object[] items) {
            this.items = items;
        }

        @Override
        public Object get(int index) {
            return items[index];
        }

        @Override
        public int size() {
            return items.length;
        }
    }

    private static final int HIGHEST_PROTOCOL = 5;
    /** Longest GLOBAL/INST module or name read from a text line; the longest allowed one is 29 bytes. */
    static final int MAX_GLOBAL_NAME = 256;

    private final ByteBuffer in;
    private final int start;
    private final String source;
    private final Globals globals;
    private final PersistentLoader persistentLoader;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private int opcodeOffset;

    /**
     * @param in the pickle; read from its position, which is left just after the {@code STOP} opcode (a
     *     legacy checkpoint is several pickles in a row); its byte order is irrelevant and left alone
     * @param source names the file (and entry) in error messages
     */
    SafeUnpickler(ByteBuffer in, String source, Globals globals, PersistentLoader persistentLoader) {
        this.in = in;
        this.start = in.position();
        this.source = source;
        this.globals = globals;
        this.persistentLoader = persistentLoader;
    }

    /** Interprets one pickle up to its {@code STOP} opcode and returns the object it built. */
    Object load() throws IOException {
        while (true) {
            opcodeOffset = in.position() - start;
            int op = readUint8();
            switch (op) {
                case 0x80 -> { // PROTO
                    int protocol = readUint8();
                    if (protocol > HIGHEST_PROTOCOL) {
                        throw corrupt("unsupported pickle protocol " + protocol);
                    }
                }
                case 0x95 -> readLength(8); // FRAME: framing is advisory, the opcodes simply follow
                case '.' -> { // STOP
                    Object result = pop();
                    if (!stack.isEmpty() || !marks.isEmpty()) {
                        throw corrupt("STOP with " + stack.size() + " values and " + marks.size()
                                + " marks left over");
                    }
                    return result;
                }
                case '(' -> marks.add(stack.size()); // MARK
                case '0' -> pop(); // POP
                case '1' -> popMark(); // POP_MARK
                case '2' -> push(peek()); // DUP
                case 'N' -> push(null); // NONE
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 'J' -> push((long) readInt32()); // BININT
                case 'K' -> push((long) readUint8()); // BININT1
                case 'M' -> push((long) readUint16()); // BININT2
                case 0x8a -> push(readLong(readUint8())); // LONG1
                case 0x8b -> { // LONG4
                    int n = readInt32();
                    if (n < 0) {
                        throw corrupt("negative LONG4 length");
                    }
                    push(readLong(n));
                }
                case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(readInt64()))); // BINFLOAT, big-endian
                case 'X' -> push(readUtf8(readLength(4))); // BINUNICODE
                case 0x8c -> push(readUtf8(readUint8())); // SHORT_BINUNICODE
                case 0x8d -> push(readUtf8(readLength(8))); // BINUNICODE8
                case 'B' -> push(readBytes(readLength(4))); // BINBYTES
                case 'C' -> push(readBytes(readUint8())); // SHORT_BINBYTES
                case 0x8e -> push(readBytes(readLength(8))); // BINBYTES8
                case ')' -> push(Tuple.EMPTY); // EMPTY_TUPLE
                case 't' -> push(new Tuple(popMark().toArray())); // TUPLE
                case 0x85 -> push(tupleOfTop(1)); // TUPLE1
                case 0x86 -> push(tupleOfTop(2)); // TUPLE2
                case 0x87 -> push(tupleOfTop(3)); // TUPLE3
                case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                case 'l' -> push(new ArrayList<>(popMark())); // LIST
                case 'a' -> { // APPEND
                    Object item = pop();
                    listAt(peek()).add(item);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    listAt(peek()).addAll(items);
                }
                case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case 'd' -> { // DICT
                    Map<Object, Object> dict = new LinkedHashMap<>();
                    putAll(dict, popMark());
                    push(dict);
                }
                case 's' -> { // SETITEM
                    Object value = pop();
                    Object key = pop();
                    putAll(dictAt(peek()), Arrays.asList(key, value));
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    putAll(dictAt(peek()), items);
                }
                case 'q' -> memoPut(readUint8()); // BINPUT
                case 'r' -> memoPut(readUint32()); // LONG_BINPUT
                case 0x94 -> memoPut(memo.size()); // MEMOIZE
                case 'h' -> memoGet(readUint8()); // BINGET
                case 'j' -> memoGet(readUint32()); // LONG_BINGET
                case 'c' -> { // GLOBAL
                    String module = readLine();
                    String name = readLine();
                    push(resolveGlobal(module, name));
                }
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw corrupt("STACK_GLOBAL needs two strings");
                    }
                    push(resolveGlobal(m, n));
                }
                case 'R' -> { // REDUCE
                    Object args = pop();
                    Object callable = pop();
                    if (!(callable instanceof PyCallable function)) {
                        throw corrupt("REDUCE on " + describe(callable) + ", which is not callable");
                    }
                    if (!(args instanceof Tuple tuple)) {
                        throw corrupt("REDUCE arguments are " + describe(args) + ", not a tuple");
                    }
                    push(function.call(tuple));
                }
                case 'b' -> build(pop(), peek()); // BUILD
                case 'Q' -> { // BINPERSID
                    if (persistentLoader == null) {
                        throw corrupt("persistent id in a pickle that should hold none");
                    }
                    push(persistentLoader.load(pop()));
                }
                case 'i' -> { // INST names its class inline: say which one, without resolving it
                    String module = readLine();
                    String name = readLine();
                    throw new UnsafeCheckpointException("refusing to load " + source + ": pickle opcode "
                            + opcodeName(op) + " would call '" + abbreviate(module) + " " + abbreviate(name)
                            + "'; it constructs an object, which is not allowed");
                }
                case 'o', 0x81, 0x92 -> throw new UnsafeCheckpointException("refusing to load " + source
                        + ": pickle opcode " + opcodeName(op) + " constructs an object, which is not allowed");
                default -> throw corrupt("unsupported pickle opcode " + opcodeName(op));
            }
        }
    }

    private Object resolveGlobal(String module, String name) throws UnsafeCheckpointException {
        Object resolved = globals.resolve(module, name);
        if (resolved == null) {
            throw new UnsafeCheckpointException("refusing to load " + source + ": global '" + abbreviate(module) + " "
                    + abbreviate(name) + "' is not allowed (only tensors, storages and dicts can be loaded)");
        }
        return resolved;
    }

    /**
     * BUILD sets an object's state. The only state a state_dict carries is the {@code _metadata} attribute
     * torch puts on its OrderedDict (per-module version numbers), which has no meaning here: attribute
     * dicts on a dict are accepted and dropped. Anything else is an object this reader cannot represent.
     */
    private void build(Object state, Object target) throws IOException {
        if (target instanceof Map && state instanceof Map) {
            return;
        }
        throw corrupt("BUILD of " + describe(state) + " on " + describe(target) + " is not supported");
    }

    private void putAll(Map<Object, Object> dict, List<Object> keysAndValues) throws IOException {
        if (keysAndValues.size() % 2 != 0) {
            throw corrupt("odd number of items for a dict");
        }
        for (int i = 0; i < keysAndValues.size(); i += 2) {
            Object key = keysAndValues.get(i);
            if (!isHashable(key, true)) {
                throw corrupt("dict key " + describe(key) + " is not a hashable scalar or tuple of scalars");
            }
            dict.put(key, keysAndValues.get(i + 1));
        }
    }

    private static boolean isHashable(Object key, boolean allowTuple) {
        if (key == null || key instanceof String || key instanceof Long || key instanceof BigInteger
                || key instanceof Double || key instanceof Boolean) {
            return true;
        }
        if (allowTuple && key instanceof Tuple tuple) {
            for (Object item : tuple) {
                if (!isHashable(item, false)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private List<Object> listAt(Object target) throws IOException {
        if (target instanceof ArrayList<?> list) {
            return (List<Object>) list;
        }
        throw corrupt("APPEND to " + describe(target) + ", not a list");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dictAt(Object target) throws IOException {
        if (target instanceof LinkedHashMap<?, ?> dict) {
            return (Map<Object, Object>) dict;
        }
        throw corrupt("SETITEM on " + describe(target) + ", not a dict");
    }

    private Tuple tupleOfTop(int n) throws IOException {
        int base = stackBase();
        if (stack.size() - base < n) {
            throw corrupt("stack underflow");
        }
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = stack.remove(stack.size() - 1);
        }
        return new Tuple(items);
    }

    private void memoPut(long index) throws IOException {
        memo.put(index, peek());
    }

    private void memoGet(long index) throws IOException {
        if (!memo.containsKey(index)) {
            throw corrupt("memo entry " + index + " read before it was written");
        }
        push(memo.get(index));
    }

    // --- stack ---

    private void push(Object value) {
        stack.add(value);
    }

    /** The lowest stack index the current mark-delimited frame may touch. */
    private int stackBase() {
        return marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
    }

    private Object pop() throws IOException {
        if (stack.size() <= stackBase()) {
            throw corrupt("stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws IOException {
        if (stack.size() <= stackBase()) {
            throw corrupt("stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() throws IOException {
        if (marks.isEmpty()) {
            throw corrupt("no MARK on the stack");
        }
        int mark = marks.remove(marks.size() - 1);
        List<Object> tail = stack.subList(mark, stack.size());
        List<Object> items = new ArrayList<>(tail);
        tail.clear();
        return items;
    }

    // --- input ---

    /** Reserves {@code n} bytes and returns the absolute index of the first. */
    private int need(long n) throws IOException {
        if (n < 0 || n > in.remaining()) {
            throw corrupt("pickle data ends unexpectedly (needs " + n + " more bytes, " + in.remaining() + " left)");
        }
        int at = in.position();
        in.position(at + (int) n);
        return at;
    }

    private int readUint8() throws IOException {
        return in.get(need(1)) & 0xff;
    }

    private int readUint16() throws IOException {
        int at = need(2);
        return (in.get(at) & 0xff) | (in.get(at + 1) & 0xff) << 8;
    }

    private int readInt32() throws IOException {
        int at = need(4);
        int value = 0;
        for (int i = 3; i >= 0; i--) {
            value = value << 8 | (in.get(at + i) & 0xff);
        }
        return value;
    }

    private long readInt64() throws IOException {
        int at = need(8);
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = value << 8 | (in.get(at + i) & 0xff);
        }
        return value;
    }

    private long readUint32() throws IOException {
        return readInt32() & 0xffffffffL;
    }

    /** A little-endian unsigned length of {@code width} bytes, checked against what remains. */
    private int readLength(int width) throws IOException {
        long length = width == 4 ? readUint32() : readInt64();
        if (length < 0 || length > in.remaining()) {
            throw corrupt("pickle data ends unexpectedly (a length of " + Long.toUnsignedString(length)
                    + " bytes, " + in.remaining() + " left)");
        }
        return (int) length;
    }

    private byte[] readBytes(int n) throws IOException {
        int at = need(n); // before the allocation: a LONG4 length is checked only here (fuzzing finding)
        byte[] bytes = new byte[n];
        in.get(at, bytes);
        return bytes;
    }

    private String readUtf8(int n) throws IOException {
        int at = need(n);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in.duplicate().position(at).limit(at + n))
                    .toString();
        } catch (CharacterCodingException e) {
            throw corrupt("string is not valid UTF-8");
        }
    }

    /**
     * A newline-terminated text argument (GLOBAL's module and name), at most {@value #MAX_GLOBAL_NAME} bytes: no
     * allowed name comes close, and a longer one is refused naming its start.
     */
    private String readLine() throws IOException {
        int at = in.position();
        int limit = Math.min(in.limit(), at + MAX_GLOBAL_NAME + 1);
        for (int i = at; i < limit; i++) {
            if (in.get(i) == '\n') {
                String line = readUtf8(i - at);
                in.position(i + 1);
                return line;
            }
        }
        if (limit == in.limit()) {
            throw corrupt("pickle data ends unexpectedly (inside a GLOBAL name)");
        }
        String start = new String(bytesAt(at, 40), StandardCharsets.UTF_8);
        throw new UnsafeCheckpointException("refusing to load " + source + ": GLOBAL name '" + start
                + "…' at byte " + opcodeOffset + " is longer than " + MAX_GLOBAL_NAME + " bytes");
    }

    private byte[] bytesAt(int at, int n) {
        byte[] bytes = new byte[n];
        in.get(at, bytes);
        return bytes;
    }

    /** A name from the file, cut to 80 characters for a one-line message (a STACK_GLOBAL name has no length cap). */
    private static String abbreviate(String name) {
        return name.length() > 80 ? name.substring(0, 80) + "… (" + name.length() + " characters)" : name;
    }

    /** LONG1/LONG4 payload: little-endian two's complement. */
    private Object readLong(int n) throws IOException {
        if (n == 0) {
            return 0L;
        }
        byte[] littleEndian = readBytes(n);
        byte[] bigEndian = new byte[n];
        for (int i = 0; i < n; i++) {
            bigEndian[i] = littleEndian[n - 1 - i];
        }
        BigInteger value = new BigInteger(bigEndian);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    // --- errors ---

    private IOException corrupt(String what) {
        return new IOException("corrupt pickle in " + source + " at byte " + opcodeOffset + ": " + what);
    }

    static String describe(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Tuple) {
            return "a tuple";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Map) {
            return "a dict";
        }
        if (value instanceof String s) {
            return "the string '" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'";
        }
        return "a " + value.getClass().getSimpleName();
    }

    private static String opcodeName(int op) {
        String name = switch (op) {
            case 'i' -> "INST";
            case 'o' -> "OBJ";
            case 0x81 -> "NEWOBJ";
            case 0x92 -> "NEWOBJ_EX";
            case 0x82, 0x83, 0x84 -> "EXT";
            case 'P' -> "PERSID";
            case 'I', 'L', 'F', 'S', 'V', 'g', 'p' -> "text-mode (protocol 0)";
            case 'T', 'U' -> "BINSTRING (Python 2 str)";
            case 0x8f, 0x90, 0x91 -> "set";
            case 0x96, 0x97, 0x98 -> "out-of-band buffer";
            default -> null;
        };
        String hex = String.format("0x%02x", op);
        return name == null ? hex : name + " (" + hex + ")";
    }
}
