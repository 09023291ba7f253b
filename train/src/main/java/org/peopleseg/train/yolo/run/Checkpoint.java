package org.peopleseg.train.yolo.run;

import ai.djl.ndarray.NDArray;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.peopleseg.core.io.AtomicFiles;

/**
 * A resumable training state, written atomically after every epoch: the epochs done, the iteration count, the
 * optimiser's step count and buffers, and the trainable weights. The data order and augmentation are seeded by
 * (seed, epoch, image), so resuming at an epoch boundary continues the same run exactly.
 */
record Checkpoint(int epochsDone, long iteration, long lastOptimizerStep, long optimizerSteps, String optimizer,
                  Map<String, float[]> weights, Map<String, float[]> optimizerState) {
    private static final int MAGIC = 0x50535943; // "PSYC"
    private static final int VERSION = 1;

    static void write(Path file, int epochsDone, long iteration, long lastOptimizerStep, Optimizer opt,
                      Map<String, NDArray> params) throws IOException {
        AtomicFiles.write(file, out -> {
            DataOutputStream d = new DataOutputStream(new java.io.BufferedOutputStream(out, 1 << 16));
            d.writeInt(MAGIC);
            d.writeInt(VERSION);
            d.writeInt(epochsDone);
            d.writeLong(iteration);
            d.writeLong(lastOptimizerStep);
            d.writeLong(opt.steps());
            d.writeUTF(opt.kind());
            writeArrays(d, params);
            writeArrays(d, opt.state());
            d.flush();
        });
    }

    private static void writeArrays(DataOutputStream d, Map<String, NDArray> arrays) throws IOException {
        d.writeInt(arrays.size());
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            float[] v = e.getValue().toFloatArray();
            d.writeUTF(e.getKey());
            d.writeInt(v.length);
            for (float f : v) {
                d.writeFloat(f);
            }
        }
    }

    static Checkpoint read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file);
             DataInputStream d = new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16))) {
            if (d.readInt() != MAGIC || d.readInt() != VERSION) {
                throw new IOException(file + ": not a peopleseg YOLO training checkpoint (version " + VERSION + ")");
            }
            int epochs = d.readInt();
            long it = d.readLong(), last = d.readLong(), steps = d.readLong();
            String kind = d.readUTF();
            return new Checkpoint(epochs, it, last, steps, kind, readArrays(d), readArrays(d));
        } catch (java.io.EOFException e) {
            throw new IOException(file + ": truncated checkpoint", e);
        }
    }

    private static Map<String, float[]> readArrays(DataInputStream d) throws IOException {
        int n = d.readInt();
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = d.readUTF();
            float[] v = new float[d.readInt()];
            for (int k = 0; k < v.length; k++) {
                v[k] = d.readFloat();
            }
            out.put(name, v);
        }
        return out;
    }
}
