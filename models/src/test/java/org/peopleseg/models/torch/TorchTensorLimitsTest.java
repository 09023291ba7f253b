package org.peopleseg.models.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** An expanded view (stride 0) may not claim more elements than the cap: a few bytes must not become gigabytes. */
class TorchTensorLimitsTest {
    private static TorchStorage oneFloat() {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, 2.5f);
        return new TorchStorage(TorchDtype.FLOAT32, new TorchStorage.Blob("0", b), 0, 1);
    }

    @Test
    void aSmallExpandedViewStillReadsAsPyTorchsContiguous() {
        TorchTensor t = new TorchTensor(oneFloat(), 0, new long[] {2, 3}, new long[] {0, 0});
        assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f}, t.toFloats());
    }

    @Test
    void anExpandedViewOfTwoToTheThirtyElementsIsRefusedBeforeAllocating() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TorchTensor(oneFloat(), 0, new long[] {1L << 15, 1L << 15}, new long[] {0, 0}));
        assertTrue(e.getMessage().contains("repeats a storage of 1 elements into 1073741824"), e.getMessage());
        assertTrue(e.getMessage().contains("refused above " + TorchTensor.MAX_EXPANDED_ELEMENTS), e.getMessage());
    }
}
