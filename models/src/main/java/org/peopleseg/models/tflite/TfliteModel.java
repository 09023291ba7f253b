package org.peopleseg.models.tflite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A TFLite model read from its flatbuffer (schema.fbs, file identifier "TFL3"): the main subgraph's tensors,
 * operators in execution order, inputs and outputs. Constant data stays a view of the file's bytes.
 */
public record TfliteModel(int version, String description, List<TfliteTensor> tensors,
                          List<TfliteOperator> operators, int[] inputs, int[] outputs, int subgraphCount) {

    public TfliteModel {
        tensors = List.copyOf(tensors);
        operators = List.copyOf(operators);
    }

    public TfliteTensor tensor(int index) {
        return tensors.get(index);
    }

    public static TfliteModel read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return read(ByteBuffer.wrap(bytes));
        } catch (TfliteFormatException e) {
            throw new IOException(file + ": not a readable TFLite model: " + e.getMessage(), e);
        }
    }

    /** @throws TfliteFormatException when the bytes are not a TFLite flatbuffer */
    public static TfliteModel read(ByteBuffer bytes) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.limit() >= 8) {
            byte[] id = new byte[4];
            b.get(4, id);
            if (!"TFL3".equals(new String(id, java.nio.charset.StandardCharsets.US_ASCII))) {
                throw new TfliteFormatException("no TFL3 file identifier (bytes 4-7 are not 'TFL3')");
            }
        }
        FlatTable model = FlatTable.root(b);
        int version = model.getInt(0, 0);
        // operator codes: builtin code is max(deprecated_builtin_code, builtin_code) (schema comment)
        int nCodes = model.vectorLength(1);
        int[] codes = new int[nCodes];
        String[] customs = new String[nCodes];
        int[] versions = new int[nCodes];
        for (int i = 0; i < nCodes; i++) {
            FlatTable oc = model.tableAt(1, i);
            codes[i] = Math.max(oc.getByte(0, 0), oc.getInt(3, 0));
            customs[i] = oc.string(1);
            versions[i] = oc.getInt(2, 1);
        }
        int nBuffers = model.vectorLength(4);
        int nSub = model.vectorLength(2);
        if (nSub == 0) {
            throw new TfliteFormatException("the model has no subgraph");
        }
        FlatTable sub = model.tableAt(2, 0);
        int nTensors = sub.vectorLength(0);
        List<TfliteTensor> tensors = new ArrayList<>(nTensors);
        for (int i = 0; i < nTensors; i++) {
            FlatTable t = sub.tableAt(0, i);
            int[] shape = t.ints(0);
            TensorType type = TensorType.of(t.getByte(1, 0));
            int bufIndex = t.getInt(2, 0);
            ByteBuffer data = null;
            if (bufIndex > 0) {
                if (bufIndex >= nBuffers) {
                    throw new TfliteFormatException("tensor " + i + " refers to buffer " + bufIndex + " of " + nBuffers);
                }
                FlatTable buf = model.tableAt(4, bufIndex);
                long off = buf.getLong(1, 0);
                long size = buf.getLong(2, 0);
                if (off > 1) { // buffers stored after the flatbuffer (models > 2 GB)
                    if (size < 0 || off > b.limit() || size > b.limit() - off) {
                        throw new TfliteFormatException("buffer " + bufIndex + " lies outside the file");
                    }
                    data = b.slice((int) off, (int) size).order(ByteOrder.LITTLE_ENDIAN);
                } else {
                    ByteBuffer d = buf.bytes(0);
                    data = d.remaining() > 0 ? d : null;
                }
            }
            Quantization q = null;
            FlatTable qt = t.table(4);
            if (qt != null && qt.vectorLength(2) > 0) {
                q = new Quantization(qt.floats(2), qt.longs(3), qt.getInt(6, 0));
            }
            String name = t.string(3);
            name = name == null ? "tensor_" + i : name;
            checkSize(name, type, shape, data);
            tensors.add(checked(new TfliteTensor(i, name, type, shape, data, q)));
        }
        int nOps = sub.vectorLength(3);
        List<TfliteOperator> ops = new ArrayList<>(nOps);
        for (int i = 0; i < nOps; i++) {
            FlatTable o = sub.tableAt(3, i);
            int oc = o.getInt(0, 0);
            if (oc < 0 || oc >= nCodes) {
                throw new TfliteFormatException("operator " + i + " has opcode index " + oc + " of " + nCodes);
            }
            FlatTable opts = o.table(4);
            ops.add(new TfliteOperator(i, codes[oc], customs[oc], versions[oc],
                    tensorIndices(o.ints(1), nTensors, true, "operator " + i + " input"),
                    tensorIndices(o.ints(2), nTensors, false, "operator " + i + " output"),
                    opts == null ? TfliteOperator.Options.EMPTY : new TfliteOperator.Options(opts)));
        }
        return new TfliteModel(version, model.string(3), tensors, ops,
                tensorIndices(sub.ints(1), nTensors, false, "subgraph input"),
                tensorIndices(sub.ints(2), nTensors, false, "subgraph output"), nSub);
    }

    /**
     * A tensor whose shape and constant data agree: no negative dimension, at most 2^31-1 elements (what a Java
     * array holds), a constant buffer at least as long as its shape needs, per-channel scales along an existing
     * axis of their count. Everything that reads a tensor relies on these, so a corrupt file stops here, named.
     */
    private static TfliteTensor checked(TfliteTensor t) {
        long count = 1;
        for (int d : t.shape()) {
            if (d < 0) {
                throw new TfliteFormatException("tensor " + t.index() + " (" + t.name() + ") has a negative dimension: "
                        + java.util.Arrays.toString(t.shape()));
            }
            count *= d;
            if (count > Integer.MAX_VALUE) {
                throw new TfliteFormatException("tensor " + t.index() + " (" + t.name() + ") has shape "
                        + java.util.Arrays.toString(t.shape()) + ", over 2^31 elements");
            }
        }
        if (t.data() != null && t.data().remaining() < count * t.type().bytes()) {
            throw new TfliteFormatException("constant tensor " + t.index() + " (" + t.name() + "): shape "
                    + java.util.Arrays.toString(t.shape()) + " of " + t.type() + " needs " + count * t.type().bytes()
                    + " bytes, its buffer holds " + t.data().remaining());
        }
        Quantization q = t.quantization();
        if (q != null && q.perChannel() && (q.axis() < 0 || q.axis() >= t.rank() || t.shape()[q.axis()] != q.scales().length)) {
            throw new TfliteFormatException("tensor " + t.index() + " (" + t.name() + "): " + q.scales().length
                    + " per-channel scales along axis " + q.axis() + " of shape " + java.util.Arrays.toString(t.shape()));
        }
        return t;
    }

    /** Tensor indices of an operator or the subgraph, each naming a tensor (-1, an omitted optional input, if allowed). */
    private static int[] tensorIndices(int[] indices, int nTensors, boolean optional, String what) {
        for (int index : indices) {
            if (index >= nTensors || index < (optional ? -1 : 0)) {
                throw new TfliteFormatException(what + " refers to tensor " + index + " of " + nTensors);
            }
        }
        return indices;
    }

    /**
     * Largest tensor, constant or activation, in bytes: a 960x576 YOLO-seg's biggest activation is 35 MB. A shape
     * claiming more (a crafted file can claim terabytes in a few bytes) is refused here, before the converter or
     * ONNX Runtime would size anything from it.
     */
    static final long MAX_TENSOR_BYTES = 1L << 31;

    /** Refuses negative dimensions, shapes past {@link #MAX_TENSOR_BYTES}, and constants larger than their buffer. */
    private static void checkSize(String name, TensorType type, int[] shape, ByteBuffer data) {
        long elements = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new TfliteFormatException("tensor " + name + ": shape " + java.util.Arrays.toString(shape)
                        + " has a negative dimension");
            }
            elements = d == 0 ? 0 : elements > MAX_TENSOR_BYTES / d ? MAX_TENSOR_BYTES + 1 : elements * d;
        }
        long bytes = elements > MAX_TENSOR_BYTES ? Long.MAX_VALUE : elements * Math.max(1, type.bytes());
        if (bytes > MAX_TENSOR_BYTES) {
            throw new TfliteFormatException("tensor " + name + ": shape " + java.util.Arrays.toString(shape) + " of "
                    + type + " claims more than " + (MAX_TENSOR_BYTES >> 30) + " GB (the limit per tensor)");
        }
        if (data != null && type.bytes() > 0 && data.remaining() < bytes) {
            throw new TfliteFormatException("tensor " + name + ": shape " + java.util.Arrays.toString(shape) + " of "
                    + type + " needs " + bytes + " bytes but its buffer holds " + data.remaining());
        }
    }
}
