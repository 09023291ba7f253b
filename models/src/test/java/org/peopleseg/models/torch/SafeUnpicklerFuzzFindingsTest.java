package org.peopleseg.models.torch;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** What fuzzing found in the pickle interpreter (README "Fuzzing"), each refused with a message now. */
class SafeUnpicklerFuzzFindingsTest {

    private static IOException refused(int... bytes) {
        byte[] pickle = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            pickle[i] = (byte) bytes[i];
        }
        return assertThrows(IOException.class, () -> new SafeUnpickler(ByteBuffer.wrap(pickle), "f.pt",
                new TorchGlobals("f.pt"), null).load());
    }

    @Test
    void long4LengthIsCheckedBeforeItIsAllocated() {
        // PROTO 2, LONG4 claiming 2^31-1 bytes, nothing after: used to allocate 2 GB first
        IOException e = refused(0x80, 2, 0x8b, 0xff, 0xff, 0xff, 0x7f);
        assertTrue(e.getMessage().contains("pickle data ends unexpectedly"), e.getMessage());
    }
}
