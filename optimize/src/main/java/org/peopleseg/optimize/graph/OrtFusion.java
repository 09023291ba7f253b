package org.peopleseg.optimize.graph;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.peopleseg.core.io.AtomicFiles;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.runtime.onnx.proto.Onnx.NodeProto;
import org.peopleseg.runtime.session.OnnxSession;

/**
 * What ONNX Runtime actually runs: the graph after its optimiser (ORT_ENABLE_ALL, as the segmenters open packages),
 * saved with {@code SessionOptions.setOptimizedModelFilePath} and counted by operator. A QDQ group that fused shows as
 * QLinearConv / QGemm; one that did not stays DequantizeLinear → Conv (float) → QuantizeLinear.
 */
public final class OrtFusion {
    private OrtFusion() {}

    /** Operator counts of the optimised graph (domain-qualified for non-ONNX domains, e.g. "com.microsoft.QGemm"). */
    public static Map<String, Integer> optimisedOps(Path model, Path tmpDir) throws IOException {
        Path out = AtomicFiles.createScratch(tmpDir, "peopleseg-optimised");
        try {
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                o.setIntraOpNumThreads(1);
                o.setOptimizedModelFilePath(out.toString());
                // the file is only counted, never run elsewhere: ORT's warning that it is hardware-specific is noise
                o.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
                try (OrtSession s = OnnxSession.environment().createSession(model.toString(), o)) {
                    // created only for the optimiser's output
                }
            } catch (OrtException e) {
                throw new IOException(model + ": ONNX Runtime cannot load the quantised model: " + e.getMessage(), e);
            }
            ModelProto m = OnnxFiles.read(out);
            Map<String, Integer> counts = new TreeMap<>();
            for (NodeProto n : m.getGraph().getNodeList()) {
                String key = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx") ? n.getOpType()
                        : n.getDomain() + "." + n.getOpType();
                counts.merge(key, 1, Integer::sum);
            }
            return counts;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Sum of the counts whose operator name ends with one of the given names. */
    public static int count(Map<String, Integer> ops, String... names) {
        int n = 0;
        for (Map.Entry<String, Integer> e : ops.entrySet()) {
            for (String name : names) {
                if (e.getKey().equals(name) || e.getKey().endsWith("." + name)) {
                    n += e.getValue();
                }
            }
        }
        return n;
    }
}
