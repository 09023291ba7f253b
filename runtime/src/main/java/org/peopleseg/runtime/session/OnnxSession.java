package org.peopleseg.runtime.session;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One ONNX Runtime session over a model file. Owns the native session; the process-wide environment is shared.
 * Every tensor handed in stays the caller's to close; every result must be closed by the caller
 * (try-with-resources), which is what keeps long runs free of off-heap leaks.
 */
public final class OnnxSession implements AutoCloseable {
    private final Path file;
    private final OrtSession session;
    private final Map<String, String> metadata;
    private final Consumer<OrtSession.Result> observer;

    private OnnxSession(Path file, OrtSession session, Map<String, String> metadata,
            Consumer<OrtSession.Result> observer) {
        this.file = file;
        this.session = session;
        this.metadata = metadata;
        this.observer = observer;
    }

    public static OnnxSession open(Path file, SessionSettings settings) throws IOException {
        return open(file, settings, r -> { });
    }

    /**
     * A session that shows every result to {@code observer} before handing it back (calibration reads the extra
     * outputs it added to the graph while a segmenter runs the package as usual). The observer must not close it.
     */
    public static OnnxSession open(Path file, SessionSettings settings, Consumer<OrtSession.Result> observer)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such model file");
        }
        OrtEnvironment env = environment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            if (settings.threads() > 0) {
                options.setIntraOpNumThreads(settings.threads());
            }
            options.setInterOpNumThreads(1);
            if (!settings.spinning()) {
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
            OrtSession session = env.createSession(file.toString(), options);
            try {
                return new OnnxSession(file, session, Map.copyOf(session.getMetadata().getCustomMetadata()), observer);
            } catch (OrtException | RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            throw new IOException(file + ": ONNX Runtime cannot load this model: " + e.getMessage(), e);
        }
    }

    /** The process-wide ONNX Runtime environment (created on first use, never closed: ORT's own advice). */
    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    public Path file() {
        return file;
    }

    /** The model's metadata_props. */
    public Map<String, String> metadata() {
        return metadata;
    }

    public Set<String> inputNames() {
        return session.getInputNames();
    }

    /** Runs the graph; the caller closes the result. */
    public OrtSession.Result run(Map<String, OnnxTensor> inputs) throws OrtException {
        return observed(session.run(inputs));
    }

    /** Runs the graph computing only the named outputs. */
    public OrtSession.Result run(Map<String, OnnxTensor> inputs, Set<String> outputs) throws OrtException {
        return observed(session.run(inputs, outputs));
    }

    private OrtSession.Result observed(OrtSession.Result r) {
        try {
            observer.accept(r);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing ONNX Runtime session for " + file + ": " + e.getMessage(), e);
        }
    }
}
