package org.peopleseg.serve;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.mask.Rle;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.Instance;

/**
 * A model's v2 outputs for one image: {@code boxes} FP32 [N, 4] (x1, y1, x2, y2 in original pixels),
 * {@code scores} FP32 [N], {@code labels} INT64 [N] (COCO category ids), {@code masks} BYTES [N] (COCO compressed RLE
 * strings of the full image, as {@code infer} writes them; "" for an instance without a mask).
 */
final class OutputTensors {
    static final List<String> NAMES = List.of("boxes", "scores", "labels", "masks");

    /** One output tensor; data is float[], long[] or List of String. */
    record Tensor(String name, String datatype, long[] shape, Object data) {
        /** The row-major little-endian bytes the binary data extension and gRPC raw contents carry. */
        byte[] rawBytes() {
            if (data instanceof float[] f) {
                ByteBuffer b = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(f);
                return b.array();
            }
            if (data instanceof long[] l) {
                ByteBuffer b = ByteBuffer.allocate(l.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                b.asLongBuffer().put(l);
                return b.array();
            }
            @SuppressWarnings("unchecked")
            List<String> strings = (List<String>) data;
            int size = 0;
            List<byte[]> encoded = new ArrayList<>();
            for (String s : strings) {
                byte[] e = s.getBytes(StandardCharsets.UTF_8);
                encoded.add(e);
                size += 4 + e.length;
            }
            ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            for (byte[] e : encoded) {
                b.putInt(e.length).put(e); // v2 BYTES element: 4-byte little-endian length, then the bytes
            }
            return b.array();
        }
    }

    private OutputTensors() {}

    /** The requested outputs (all when {@code names} is empty), in the order asked. */
    static List<Tensor> of(Detections d, List<String> names) throws ServeException {
        List<String> wanted = names.isEmpty() ? NAMES : names;
        List<Tensor> out = new ArrayList<>();
        for (String n : wanted) {
            out.add(tensor(d, n));
        }
        return out;
    }

    private static Tensor tensor(Detections d, String name) throws ServeException {
        List<Instance> in = d.instances();
        int n = in.size();
        return switch (name) {
            case "boxes" -> {
                float[] v = new float[n * 4];
                for (int i = 0; i < n; i++) {
                    Box b = in.get(i).box();
                    v[4 * i] = (float) b.x1();
                    v[4 * i + 1] = (float) b.y1();
                    v[4 * i + 2] = (float) b.x2();
                    v[4 * i + 3] = (float) b.y2();
                }
                yield new Tensor(name, "FP32", new long[] {n, 4}, v);
            }
            case "scores" -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (float) in.get(i).score();
                }
                yield new Tensor(name, "FP32", new long[] {n}, v);
            }
            case "labels" -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = in.get(i).categoryId();
                }
                yield new Tensor(name, "INT64", new long[] {n}, v);
            }
            case "masks" -> {
                List<String> v = new ArrayList<>(n);
                for (Instance inst : in) {
                    v.add(inst.hasMask() ? Rle.encode(inst.mask()).toCompressedString() : "");
                }
                yield new Tensor(name, "BYTES", new long[] {n}, v);
            }
            default -> throw ServeException.badRequest("unknown output '" + ModelRepository.clip(name)
                    + "': the outputs are " + String.join(", ", NAMES));
        };
    }
}
