package org.peopleseg.train.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import org.peopleseg.core.io.UntrustedJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.peopleseg.models.maskrcnn.WeightTensor;

/**
 * A training checkpoint file: a zip (stored, not compressed: float weights do not compress) with
 *
 * <pre>
 *   state.json             {"format": "peopleseg.checkpoint/1", "trainer": "maskrcnn", "step": N, "seed": S, "spec_sha256": "...",
 *                           "losses": {...},
 *                           "weights":   [{"name": "backbone.body.conv1.weight", "shape": [64,3,7,7], "entry": "w/0"}, ...],
 *                           "optimizer": [{"parameter": "...", "entry": "v/0" | null}, ...]}
 *   w/0, w/1, ...          each tensor's values, float32 little-endian, row-major (PyTorch order)
 *   v/0, v/1, ...          the momentum buffers of the trainable parameters, same encoding
 * </pre>
 *
 * Written atomically (a hidden temporary file, fsync, rename): a crash, Ctrl-C or a full disk leaves the previous
 * checkpoint as it was. Read back with every size checked against its shape.
 */
public final class CheckpointFormat {
    public static final String FORMAT = "peopleseg.checkpoint/1";
    private static final ObjectMapper JSON = UntrustedJson.mapper();

    private CheckpointFormat() {}

    public static void write(Path target, TrainingState state) throws IOException {
        write(target, state, UnaryOperator.identity());
    }

    /** @param wrap a filter around the file's stream (tests use it to make the disk "full") */
    static void write(Path target, TrainingState state, UnaryOperator<OutputStream> wrap) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("trainer", "maskrcnn");
        root.put("step", state.step());
        root.put("seed", state.seed());
        root.put("spec_sha256", state.specSha256());
        ObjectNode losses = root.putObject("losses");
        state.losses().forEach(losses::put);
        Map<String, float[]> entries = new LinkedHashMap<>();
        ArrayNode weights = root.putArray("weights");
        int i = 0;
        for (Map.Entry<String, WeightTensor> e : state.weights().entrySet()) {
            ObjectNode w = weights.addObject();
            w.put("name", e.getKey());
            ArrayNode shape = w.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            w.put("entry", "w/" + i);
            entries.put("w/" + i, e.getValue().values());
            i++;
        }
        ArrayNode opt = root.putArray("optimizer");
        for (int k = 0; k < state.parameterNames().size(); k++) {
            ObjectNode o = opt.addObject();
            o.put("parameter", state.parameterNames().get(k));
            float[] v = state.velocity().get(k);
            if (v == null) {
                o.putNull("entry");
            } else {
                o.put("entry", "v/" + k);
                entries.put("v/" + k, v);
            }
        }
        CheckpointZip.write(target, root, entries, wrap);
    }

    /** @throws IOException naming the file when it is not a complete checkpoint of this format */
    public static TrainingState read(Path file) throws IOException {
        CheckpointZip.Contents contents = CheckpointZip.read(file, FORMAT);
        JsonNode root = contents.state();
        Map<String, WeightTensor> weights = new LinkedHashMap<>();
        for (JsonNode w : root.get("weights")) {
            long[] shape = new long[w.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = w.get("shape").get(i).asLong();
            }
            weights.put(w.get("name").asText(), new WeightTensor(shape, contents.floats(w.get("entry").asText())));
        }
        List<String> names = new ArrayList<>();
        List<float[]> velocity = new ArrayList<>();
        for (JsonNode o : root.get("optimizer")) {
            names.add(o.get("parameter").asText());
            velocity.add(o.get("entry").isNull() ? null : contents.floats(o.get("entry").asText()));
        }
        Map<String, Double> losses = new LinkedHashMap<>();
        root.path("losses").fields().forEachRemaining(e -> losses.put(e.getKey(), e.getValue().asDouble()));
        return new TrainingState(root.get("step").asLong(), root.get("seed").asLong(), root.get("spec_sha256").asText(),
                weights, names, velocity, losses);
    }

    /** Reads only the step of a checkpoint (for listing), or -1 when it is not readable. */
    public static long stepOf(Path file) {
        try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (e.getName().equals("state.json")) {
                    return JSON.readTree(zip.readAllBytes()).path("step").asLong(-1);
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
