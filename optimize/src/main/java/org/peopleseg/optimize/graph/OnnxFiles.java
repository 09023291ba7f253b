package org.peopleseg.optimize.graph;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.peopleseg.core.io.AtomicFiles;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;

/** Reads and writes ONNX files with the project's own onnx.proto (fields it does not declare are kept as unknown). */
public final class OnnxFiles {
    private OnnxFiles() {}

    public static ModelProto read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            return ModelProto.parseFrom(in);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IOException(file + ": not an ONNX model: " + e.getMessage(), e);
        }
    }

    /** Written under a temporary name and renamed when complete. */
    public static void write(ModelProto model, Path file) throws IOException {
        AtomicFiles.write(file, model::writeTo);
    }
}
