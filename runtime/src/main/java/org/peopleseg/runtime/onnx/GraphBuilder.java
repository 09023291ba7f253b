package org.peopleseg.runtime.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peopleseg.runtime.onnx.proto.Onnx.AttributeProto;
import org.peopleseg.runtime.onnx.proto.Onnx.GraphProto;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.runtime.onnx.proto.Onnx.NodeProto;
import org.peopleseg.runtime.onnx.proto.Onnx.OperatorSetIdProto;
import org.peopleseg.runtime.onnx.proto.Onnx.StringStringEntryProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto.DataType;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorShapeProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TypeProto;
import org.peopleseg.runtime.onnx.proto.Onnx.ValueInfoProto;

/**
 * Builds one ONNX graph node by node. Every method returns the name of the value it made, so graph code reads
 * like the arithmetic it encodes: {@code relu(conv(x, w, b))}. Names are made unique with a scope prefix and a
 * counter; initializers are stored as little-endian raw data.
 */
public final class GraphBuilder {
    /** ONNX opset the graphs target; ONNX Runtime 1.28 runs RoiAlign, NonMaxSuppression, TopK, Resize at 17. */
    public static final int OPSET = 17;
    /** IR version 8 matches opset 17 (ONNX 1.12+). */
    public static final int IR_VERSION = 8;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();
    private final Map<String, Integer> counters = new LinkedHashMap<>();
    private final List<String> scope = new ArrayList<>();

    public GraphBuilder(String graphName) {
        graph.setName(graphName);
    }

    // ---- naming -------------------------------------------------------------------------------------------

    /** Opens a name scope ("backbone", "fpn"...) that prefixes the values made until {@link #pop()}. */
    public GraphBuilder push(String name) {
        scope.add(name);
        return this;
    }

    public GraphBuilder pop() {
        scope.remove(scope.size() - 1);
        return this;
    }

    private String fresh(String base) {
        String prefix = scope.isEmpty() ? base : String.join("/", scope) + "/" + base;
        int n = counters.merge(prefix, 1, Integer::sum);
        String name = n == 1 ? prefix : prefix + "_" + n;
        while (!names.add(name)) {
            n = counters.merge(prefix, 1, Integer::sum);
            name = prefix + "_" + n;
        }
        return name;
    }

    // ---- inputs, outputs, constants -----------------------------------------------------------------------

    /** Declares a graph input; a dimension below 0 is dynamic and named by {@code dimNames}. */
    public String input(String name, DataType type, long[] dims, String... dimNames) {
        claim(name);
        graph.addInput(valueInfo(name, type, dims, dimNames));
        return name;
    }

    public void output(String name, DataType type, long[] dims, String... dimNames) {
        graph.addOutput(valueInfo(name, type, dims, dimNames));
    }

    /** A float initializer (weights). */
    public String weight(String base, float[] data, long... dims) {
        String name = fresh(base);
        graph.addInitializer(floatTensor(name, data, dims));
        return name;
    }

    public String constFloats(long[] dims, float... values) {
        String name = fresh("const");
        graph.addInitializer(floatTensor(name, values, dims));
        return name;
    }

    /** A 0-d float scalar. */
    public String scalar(float value) {
        return constFloats(new long[0], value);
    }

    /** A 1-d int64 tensor (shapes, axes, indices). */
    public String ints(long... values) {
        String name = fresh("const");
        graph.addInitializer(int64Tensor(name, values, values.length));
        return name;
    }

    /** A 0-d int64 scalar. */
    public String intScalar(long value) {
        String name = fresh("const");
        graph.addInitializer(int64Tensor(name, new long[] {value}));
        return name;
    }

    // ---- nodes --------------------------------------------------------------------------------------------

    /** Adds a node with one output and returns the output's name. */
    public String op(String opType, List<String> inputs, AttributeProto... attrs) {
        return op(opType, inputs, 1, attrs)[0];
    }

    public String op(String opType, String input, AttributeProto... attrs) {
        return op(opType, List.of(input), attrs);
    }

    /** Adds a node with {@code outputs} outputs. An empty-string input means "optional input omitted". */
    public String[] op(String opType, List<String> inputs, int outputs, AttributeProto... attrs) {
        String base = opType.toLowerCase();
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).addAllInput(inputs);
        String[] outs = new String[outputs];
        for (int i = 0; i < outputs; i++) {
            outs[i] = fresh(base);
            node.addOutput(outs[i]);
        }
        node.setName(outs[0]);
        for (AttributeProto a : attrs) {
            node.addAttribute(a);
        }
        graph.addNode(node);
        return outs;
    }

    /** Renames a value to a fixed name (graph outputs): an Identity node. */
    public String named(String value, String name) {
        claim(name);
        graph.addNode(NodeProto.newBuilder().setOpType("Identity").addInput(value).addOutput(name).setName(name));
        return name;
    }

    // ---- the model ----------------------------------------------------------------------------------------

    public ModelProto build(String producerVersion, Map<String, String> metadata) {
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("peopleseg")
                .setProducerVersion(producerVersion)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph);
        metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    private void claim(String name) {
        if (!names.add(name)) {
            throw new IllegalArgumentException("value name already used: " + name);
        }
    }

    // ---- tensors ------------------------------------------------------------------------------------------

    public static TensorProto floatTensor(String name, float[] data, long... dims) {
        checkCount(name, data.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        return tensor(name, DataType.FLOAT, buf.array(), dims);
    }

    public static TensorProto int64Tensor(String name, long[] data, long... dims) {
        checkCount(name, data.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(data);
        return tensor(name, DataType.INT64, buf.array(), dims);
    }

    public static TensorProto tensor(String name, DataType type, byte[] raw, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(raw));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static void checkCount(String name, int count, long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != count) {
            throw new IllegalArgumentException(name + ": " + count + " values do not fill shape " + java.util.Arrays.toString(dims));
        }
    }

    private static ValueInfoProto valueInfo(String name, DataType type, long[] dims, String... dimNames) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        int dyn = 0;
        for (long d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d >= 0) {
                dim.setDimValue(d);
            } else {
                dim.setDimParam(dyn < dimNames.length ? dimNames[dyn] : name + "_dim" + dyn);
                dyn++;
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(
                        TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
                .build();
    }
}
