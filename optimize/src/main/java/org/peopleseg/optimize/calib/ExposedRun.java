package org.peopleseg.optimize.calib;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.peopleseg.core.io.AtomicFiles;
import org.peopleseg.core.result.Detections;
import org.peopleseg.models.PackagedSegmenter;
import org.peopleseg.models.Segmenters;
import org.peopleseg.optimize.graph.OnnxFiles;
import org.peopleseg.runtime.onnx.proto.Onnx.GraphProto;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.runtime.onnx.proto.Onnx.NodeProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TensorProto;
import org.peopleseg.runtime.onnx.proto.Onnx.TypeProto;
import org.peopleseg.runtime.onnx.proto.Onnx.ValueInfoProto;
import org.peopleseg.runtime.session.OnnxSession;
import org.peopleseg.runtime.session.SessionSettings;

/**
 * A model package run as usual — the package's own preprocessing and post-processing through its {@link
 * PackagedSegmenter} — over a copy of its graph with chosen intermediate values added as outputs. Each run hands
 * those values to a {@link Sink} one at a time while the result is open and forgets them, so nothing of the
 * activations outlives an image.
 */
public final class ExposedRun implements AutoCloseable {
    /** Receives one exposed value of one image (the buffer is a copy, valid during the call). */
    public interface Sink {
        void accept(String value, FloatBuffer values);
    }

    private static final String SUFFIX = "/exposed";

    private final Path tmp;
    private final PackagedSegmenter segmenter;
    private final Map<String, String> outputs;
    private Sink sink;

    private ExposedRun(Path tmp, PackagedSegmenter segmenter, Map<String, String> outputs) {
        this.tmp = tmp;
        this.segmenter = segmenter;
        this.outputs = outputs;
    }

    /**
     * @param values    intermediate values (or graph inputs) to expose
     * @param tmpDir    where the augmented model is written for ONNX Runtime (deleted on close)
     */
    public static ExposedRun open(ModelProto model, Set<String> values, Path tmpDir, SessionSettings settings,
            double scoreThreshold) throws IOException {
        Map<String, String> outputs = new LinkedHashMap<>();
        GraphProto.Builder g = model.getGraph().toBuilder();
        Set<String> inputs = new java.util.HashSet<>();
        g.getInputList().forEach(v -> inputs.add(v.getName()));
        Set<String> existing = new java.util.HashSet<>();
        g.getOutputList().forEach(v -> existing.add(v.getName()));
        for (String v : values) {
            String out = v;
            if (inputs.contains(v)) {
                // a graph input cannot also be an output: expose a copy
                out = v + SUFFIX;
                g.addNode(NodeProto.newBuilder().setOpType("Identity").setName(out).addInput(v).addOutput(out));
            }
            outputs.put(v, out);
            if (!existing.contains(out)) {
                g.addOutput(ValueInfoProto.newBuilder().setName(out).setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
            }
        }
        Files.createDirectories(tmpDir);
        Path tmp = AtomicFiles.createScratch(tmpDir, "peopleseg-calibration");
        try {
            OnnxFiles.write(model.toBuilder().setGraph(g).build(), tmp);
            ExposedRun[] self = new ExposedRun[1];
            OnnxSession session = OnnxSession.open(tmp, settings, r -> self[0].observe(r));
            PackagedSegmenter segmenter = Segmenters.open(session, scoreThreshold);
            self[0] = new ExposedRun(tmp, segmenter, outputs);
            return self[0];
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    public PackagedSegmenter segmenter() {
        return segmenter;
    }

    /** Segments one image, showing every exposed value to {@code sink}. */
    public Detections segment(BufferedImage image, String source, Sink sink) {
        this.sink = sink;
        try {
            return segmenter.segment(image, source);
        } finally {
            this.sink = null;
        }
    }

    private void observe(OrtSession.Result r) {
        if (sink == null) {
            return;
        }
        for (Map.Entry<String, String> e : outputs.entrySet()) {
            Optional<OnnxValue> v = r.get(e.getValue());
            if (v.isEmpty() || !(v.get() instanceof OnnxTensor t)) {
                continue;
            }
            if (t.getInfo().getNumElements() == 0) {
                continue; // e.g. the mask head of an image without detections
            }
            try {
                FloatBuffer b = t.getFloatBuffer();
                if (b != null) {
                    sink.accept(e.getKey(), b);
                }
            } catch (RuntimeException ex) {
                throw new IllegalStateException("activation " + e.getKey() + ": " + ex.getMessage(), ex);
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            segmenter.close();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
