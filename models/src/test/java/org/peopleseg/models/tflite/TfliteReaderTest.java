package org.peopleseg.models.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.peopleseg.models.SharedDir;

class TfliteReaderTest {
    @Test
    void readsTheYolo11SegFlatbuffer() throws Exception {
        Path f = SharedDir.require().resolve("models/ultralytics-st/yolo11n_256_quant_pc_ii_seg_coco-st.tflite");
        Assumptions.assumeTrue(Files.isRegularFile(f), "model not found: " + f);
        TfliteModel m = TfliteModel.read(f);
        assertEquals(3, m.version());
        assertEquals(1, m.subgraphCount());
        TfliteTensor in = m.tensor(m.inputs()[0]);
        assertArrayEquals(new int[] {1, 256, 256, 3}, in.shape());
        assertEquals(TensorType.INT8, in.type());
        assertEquals(1 / 255f, in.quantization().scale(), 1e-7);
        assertEquals(-128, in.quantization().zeroPoint());
        assertArrayEquals(new int[] {1, 116, 1344}, m.tensor(m.outputs()[0]).shape());
        assertArrayEquals(new int[] {1, 64, 64, 32}, m.tensor(m.outputs()[1]).shape());
        Map<String, Integer> counts = new TreeMap<>();
        for (TfliteOperator op : m.operators()) {
            counts.merge(op.opName(), 1, Integer::sum);
        }
        assertEquals(221, counts.get("CONV_2D"));
        assertEquals(6, counts.get("DEPTHWISE_CONV_2D"));
        assertEquals(2, counts.get("BATCH_MATMUL"));
        assertEquals(1, counts.get("TRANSPOSE_CONV"));
        assertTrue(TfliteConverter.unsupportedOperators(m).isEmpty());
        // per-channel weights: the first convolution's 16 output channels have 16 scales on axis 0
        TfliteOperator conv = m.operators().stream().filter(o -> o.code() == BuiltinOps.CONV_2D).findFirst().orElseThrow();
        TfliteTensor w = m.tensor(conv.inputs()[1]);
        assertArrayEquals(new int[] {16, 3, 3, 3}, w.shape());
        assertTrue(w.quantization().perChannel());
        assertEquals(16, w.quantization().scales().length);
        assertEquals(0, w.quantization().axis());
        float[] deq = w.dequantized();
        long[] raw = w.rawInts();
        assertEquals(w.quantization().scales()[5] * raw[5 * 27 + 4], deq[5 * 27 + 4], 0f);
        assertEquals(2, conv.options().getInt(1, 0)); // stride_w of the stem
    }

    @Test
    void rejectsWhatIsNotATfliteFile() {
        TfliteFormatException e = assertThrows(TfliteFormatException.class,
                () -> TfliteModel.read(ByteBuffer.wrap("this is not a model at all".getBytes())));
        assertTrue(e.getMessage().contains("TFL3"), e.getMessage());
        byte[] truncated = {16, 0, 0, 0, 'T', 'F', 'L', '3', 0, 0};
        assertThrows(TfliteFormatException.class, () -> TfliteModel.read(ByteBuffer.wrap(truncated)));
    }
}
