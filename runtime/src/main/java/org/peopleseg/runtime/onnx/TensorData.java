package org.peopleseg.runtime.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto.DataType;

/** Reads the values of an ONNX {@code TensorProto} (raw_data or the typed fields), float or int64/int32. */
public final class TensorData {
    private TensorData() {}

    public static long[] dims(TensorProto t) {
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    public static boolean isFloat(TensorProto t) {
        return t.getDataType() == DataType.FLOAT.getNumber();
    }

    public static float[] floats(TensorProto t) {
        if (!isFloat(t)) {
            throw new IllegalArgumentException(t.getName() + ": not a float tensor (type " + t.getDataType() + ")");
        }
        if (!t.getRawData().isEmpty()) {
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[b.remaining() / 4];
            b.asFloatBuffer().get(out);
            return out;
        }
        float[] out = new float[t.getFloatDataCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.getFloatData(i);
        }
        return out;
    }

    public static long[] longs(TensorProto t) {
        boolean int64 = t.getDataType() == DataType.INT64.getNumber();
        boolean int32 = t.getDataType() == DataType.INT32.getNumber();
        if (!int64 && !int32) {
            throw new IllegalArgumentException(t.getName() + ": not an integer tensor (type " + t.getDataType() + ")");
        }
        if (!t.getRawData().isEmpty()) {
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long[] out = new long[b.remaining() / (int64 ? 8 : 4)];
            for (int i = 0; i < out.length; i++) {
                out[i] = int64 ? b.getLong() : b.getInt();
            }
            return out;
        }
        if (int64) {
            return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
        }
        return t.getInt32DataList().stream().mapToLong(Integer::longValue).toArray();
    }
}
