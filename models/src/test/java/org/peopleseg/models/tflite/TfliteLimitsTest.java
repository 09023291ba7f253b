package org.peopleseg.models.tflite;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.peopleseg.models.SharedDir;

/**
 * A real YOLO11-seg flatbuffer (from ../shared, read in memory and never copied) with one shape vector patched to claim
 * terabytes: refused when the model is read, naming the tensor, before anything is sized from it.
 */
class TfliteLimitsTest {
    private static byte[] model() throws Exception {
        Path f = SharedDir.require().resolve("models/ultralytics-st/yolo11n_256_quant_pc_ii_seg_coco-st.tflite");
        Assumptions.assumeTrue(Files.isRegularFile(f), "model not found: " + f);
        return Files.readAllBytes(f);
    }

    /** Overwrites the first flatbuffer int vector equal to {@code from} with {@code to} (same length). */
    private static byte[] patchShape(byte[] file, int[] from, int[] to) {
        ByteBuffer pattern = ByteBuffer.allocate(4 * (from.length + 1)).order(ByteOrder.LITTLE_ENDIAN).putInt(from.length);
        for (int d : from) {
            pattern.putInt(d);
        }
        byte[] p = pattern.array();
        outer:
        for (int at = 0; at + p.length <= file.length; at += 4) { // flatbuffer vectors are 4-byte aligned
            for (int i = 0; i < p.length; i++) {
                if (file[at + i] != p[i]) {
                    continue outer;
                }
            }
            byte[] out = file.clone();
            ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < to.length; i++) {
                b.putInt(at + 4 + 4 * i, to[i]);
            }
            return out;
        }
        throw new AssertionError("no shape vector " + java.util.Arrays.toString(from) + " in the model");
    }

    @Test
    void activationClaimingTerabytesIsRefused() throws Exception {
        byte[] patched = patchShape(model(), new int[] {1, 256, 256, 3}, new int[] {1, 1 << 20, 1 << 20, 3});
        TfliteFormatException e = assertThrows(TfliteFormatException.class,
                () -> TfliteModel.read(ByteBuffer.wrap(patched)));
        assertTrue(e.getMessage().matches("tensor .+: shape \\[1, 1048576, 1048576, 3\\] of INT8 claims more than 2 GB.*"),
                e.getMessage());
    }

    @Test
    void overflowingShapeIsRefusedNotWrapped() throws Exception {
        int max = Integer.MAX_VALUE;
        byte[] patched = patchShape(model(), new int[] {1, 256, 256, 3}, new int[] {max, max, max, max});
        TfliteFormatException e = assertThrows(TfliteFormatException.class,
                () -> TfliteModel.read(ByteBuffer.wrap(patched)));
        assertTrue(e.getMessage().contains("claims more than 2 GB"), e.getMessage());
        byte[] negative = patchShape(model(), new int[] {1, 256, 256, 3}, new int[] {1, -256, 256, 3});
        e = assertThrows(TfliteFormatException.class, () -> TfliteModel.read(ByteBuffer.wrap(negative)));
        assertTrue(e.getMessage().contains("negative dimension"), e.getMessage());
    }

    @Test
    void constantLargerThanItsBufferIsRefused() throws Exception {
        // the first convolution's weights, [16, 3, 3, 3] int8: claim 10^4 times more than the buffer holds
        byte[] patched = patchShape(model(), new int[] {16, 3, 3, 3}, new int[] {16, 3, 3, 30000});
        TfliteFormatException e = assertThrows(TfliteFormatException.class,
                () -> TfliteModel.read(ByteBuffer.wrap(patched)));
        assertTrue(e.getMessage().contains("needs 4320000 bytes but its buffer holds 432"), e.getMessage());
    }
}
