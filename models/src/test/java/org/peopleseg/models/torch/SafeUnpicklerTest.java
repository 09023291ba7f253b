package org.peopleseg.models.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The interpreter on hand-written pickles: data opcodes, refusals, and malformed input. */
class SafeUnpicklerTest {

    private static Object load(PickleBytes pickle) throws IOException {
        return new SafeUnpickler(ByteBuffer.wrap(pickle.bytes()), "test.pkl", new TorchGlobals("test.pkl"), null).load();
    }

    private static IOException failure(PickleBytes pickle) {
        return assertThrows(IOException.class, () -> load(pickle));
    }

    @Test
    void buildsPlainData() throws IOException {
        // {'a': [1, -2, 3.5, None, True], 'b': (b'xy', 'é', 2**70), 0: ()}, with protocol 2-4 opcodes
        Map<?, ?> dict = assertInstanceOf(Map.class, load(new PickleBytes().proto().op('}', 0x94, '(')
                .str("a").op(']', 0x94, '(').int1(1).int4(-2).op('G').raw(bigEndian(3.5)).op('N', 0x88, 'e')
                .op(0x8c, 1, 'b').op('C', 2, 'x', 'y').op(0x8c, 2, 0xc3, 0xa9)
                .op(0x8a, 9).raw(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 64}).op(0x87)
                .int1(0).op(')').op('u', '.')));
        assertEquals(List.of("a", "b", 0L), List.copyOf(dict.keySet()));
        assertEquals(Arrays.asList(1L, -2L, 3.5, null, true), dict.get("a"));
        List<?> b = assertInstanceOf(List.class, dict.get("b"));
        assertEquals(3, b.size());
        assertEquals("xy", new String((byte[]) b.get(0), java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("é", b.get(1));
        assertEquals(BigInteger.TWO.pow(70), b.get(2));
        assertEquals(List.of(), dict.get(0L));
    }

    @Test
    void sharesMemoisedObjects() throws IOException {
        // [x, x] where x = [] : BINPUT then BINGET returns the same object
        List<?> list = assertInstanceOf(List.class, load(new PickleBytes().proto()
                .op(']', '(', ']', 'q', 7, 'h', 7, 'e', '.')));
        assertSame(list.get(0), list.get(1));
    }

    @Test
    void longOpcodesAreSignExtended() throws IOException {
        assertEquals(-1L, load(new PickleBytes().proto().op(0x8a, 2, 0xff, 0xff, '.')));
        assertEquals(255L, load(new PickleBytes().proto().op(0x8a, 2, 0xff, 0x00, '.')));
        assertEquals(0L, load(new PickleBytes().proto().op(0x8a, 0, '.')));
        assertEquals(Long.MIN_VALUE, load(new PickleBytes().proto().op(0x8a, 8, 0, 0, 0, 0, 0, 0, 0, 0x80, '.')));
        assertEquals(65535L, load(new PickleBytes().proto().op('M', 0xff, 0xff, '.')));
    }

    @Test
    void refusesGlobalsOutsideTheAllowList() {
        for (String[] global : new String[][] {
                {"os", "system"}, {"posix", "system"}, {"builtins", "eval"}, {"torch", "load"},
                {"torch._utils", "_rebuild_qtensor"}, {"torch", "ComplexFloatStorage"}, {"collections", "OrderedDictX"}}) {
            UnsafeCheckpointException e = assertThrows(UnsafeCheckpointException.class,
                    () -> load(new PickleBytes().proto().global(global[0], global[1]).op(')', 'R', '.')));
            assertEquals("refusing to load test.pkl: global '" + global[0] + " " + global[1]
                    + "' is not allowed (only tensors, storages and dicts can be loaded)", e.getMessage());
        }
    }

    @Test
    void refusesStackGlobalOutsideTheAllowList() {
        UnsafeCheckpointException e = assertThrows(UnsafeCheckpointException.class,
                () -> load(new PickleBytes().proto().op(0x8c, 8).raw("builtins".getBytes())
                        .op(0x8c, 4).raw("exec".getBytes()).op(0x93, '.')));
        assertTrue(e.getMessage().contains("global 'builtins exec' is not allowed"), e.getMessage());
    }

    @Test
    void refusesObjectConstructingOpcodes() {
        for (int op : new int[] {0x81, 0x92, 'o'}) {
            UnsafeCheckpointException e = assertThrows(UnsafeCheckpointException.class,
                    () -> load(new PickleBytes().proto().global("collections", "OrderedDict").op(')', op, '.')));
            assertTrue(e.getMessage().contains("constructs an object"), e.getMessage());
        }
        assertThrows(UnsafeCheckpointException.class,
                () -> load(new PickleBytes().proto().op('(').raw("iposix\nsystem\n".getBytes()).op('.')));
    }

    @Test
    void storageClassesAreNotCallable() {
        IOException e = failure(new PickleBytes().proto().global("torch", "FloatStorage").op(')', 'R', '.'));
        assertTrue(e.getMessage().contains("is not callable"), e.getMessage());
    }

    @Test
    void reportsMalformedInput() {
        String[][] cases = {
                {"ends unexpectedly", "X\u00ff\u00ff\u00ff\u007fab"},   // BINUNICODE claiming 2 GB
                {"ends unexpectedly", "K"},                              // BININT1 without its byte
                {"ends unexpectedly", "N"},                              // no STOP
                {"stack underflow", "."},
                {"stack underflow", "(\u0085."},                        // TUPLE1 inside an empty MARK frame
                {"no MARK", "t."},
                {"read before it was written", "h\u0005."},
                {"unsupported pickle opcode 0xff", "\u00ff"},
                {"text-mode", "I1\n."},
                {"not a list", "}K\u0001a."},
                {"not a dict", "]K\u0001K\u0002s."},
                {"not a hashable", "}]K\u0001s."},                      // list as dict key
                {"left over", "NN."},
                {"unsupported pickle protocol 6", ""},
                {"not valid UTF-8", "X\u0001\u0000\u0000\u0000\u00ff."},
                {"BUILD of", "]]b."},
        };
        for (String[] c : cases) {
            PickleBytes p = new PickleBytes();
            if (c[1].isEmpty()) {
                p.op(0x80, 6, 'N', '.');
            } else {
                p.proto();
                for (char ch : c[1].toCharArray()) {
                    p.op(ch);
                }
            }
            IOException e = failure(p);
            assertTrue(e.getMessage().startsWith("corrupt pickle in test.pkl at byte "), e.getMessage());
            assertTrue(e.getMessage().contains(c[0]), c[0] + " vs " + e.getMessage());
        }
    }

    @Test
    void persistentIdsNeedALoader() {
        IOException e = failure(new PickleBytes().proto().str("x").op('Q', '.'));
        assertTrue(e.getMessage().contains("persistent id"), e.getMessage());
    }

    @Test
    void halfAndBfloat16Conversions() {
        assertEquals(1.0f, TorchTensor.halfToFloat((short) 0x3c00));
        assertEquals(-2.0f, TorchTensor.halfToFloat((short) 0xc000));
        assertEquals(65504.0f, TorchTensor.halfToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, TorchTensor.halfToFloat((short) 0x0001));
        assertEquals(0x1p-14f, TorchTensor.halfToFloat((short) 0x0400));
        assertEquals(Float.NEGATIVE_INFINITY, TorchTensor.halfToFloat((short) 0xfc00));
        assertTrue(Float.isNaN(TorchTensor.halfToFloat((short) 0x7e00)));
        assertEquals(Float.floatToIntBits(-0.0f), Float.floatToIntBits(TorchTensor.halfToFloat((short) 0x8000)));
        for (int bits = 0; bits < 0x10000; bits++) { // every finite half round-trips through float arithmetic
            float f = TorchTensor.halfToFloat((short) bits);
            if (!Float.isNaN(f) && !Float.isInfinite(f)) {
                int exponent = (bits >>> 10) & 0x1f;
                double expected = (exponent == 0 ? (bits & 0x3ff) * 0x1p-24
                        : (1 + (bits & 0x3ff) / 1024.0) * Math.pow(2, exponent - 15)) * ((bits & 0x8000) != 0 ? -1 : 1);
                assertEquals(expected, f, 0.0, Integer.toHexString(bits));
            }
        }
        assertEquals(1.0f, TorchTensor.bfloat16ToFloat((short) 0x3f80));
        assertEquals(-2.5f, TorchTensor.bfloat16ToFloat((short) 0xc020));
    }

    private static byte[] bigEndian(double value) {
        return ByteBuffer.allocate(8).putDouble(value).array();
    }
}
