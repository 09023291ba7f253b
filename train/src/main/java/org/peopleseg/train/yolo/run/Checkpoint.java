package org.peopleseg.train.yolo.run;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peopleseg.train.checkpoint.CheckpointFormat;
import org.peopleseg.train.checkpoint.CheckpointZip;

/**
 * A resumable YOLO-seg training state in the checkpoint layout both trainers share ({@link CheckpointZip}:
 * {@code checkpoints/step-NNNNNNNN.ckpt}, a zip of float32 entries and state.json with the common keys
 * {@code format, trainer, step, seed, spec_sha256, losses, weights, optimizer}). YOLO's own keys sit under
 * {@code "yolo"}: where in the epoch the run is, the optimiser's step count, and the running sums of the epoch's
 * metrics. Per trainable parameter the optimiser entry names its buffers (SGD momentum or Adam's first moment in
 * {@code entry}, Adam's second moment in {@code entry2}) and, when the run stopped between optimiser steps, the
 * gradient accumulated so far ({@code gradient}).
 *
 * <p>Written at the end of every epoch and when a stop is requested (Ctrl-C) after any image. Data order and
 * augmentation are functions of (seed, epoch, image), the learning rate of the iteration, so a run resumed from
 * any checkpoint makes the same updates as one never stopped.
 *
 * @param step               images processed, all epochs (the iteration count; a "step" in train.jsonl)
 * @param epochsDone         complete epochs
 * @param imagesIntoEpoch    images of epoch {@code epochsDone + 1} already processed (0 at an epoch boundary)
 * @param lastOptimizerStep  the iteration of the last optimiser update (-1: none yet)
 * @param epochSums          the epoch so far: summed box, seg, cls, dfl, total losses
 */
record Checkpoint(long step, long seed, String settingsSha256, int epochsDone, int imagesIntoEpoch,
                  long lastOptimizerStep, long optimizerSteps, String optimizer, double[] epochSums, int epochSeen,
                  int epochSkipped, double epochSeconds, Map<String, float[]> weights,
                  Map<String, float[]> optimizerState, Map<String, float[]> gradients) {
    static final String TRAINER = "yolo-seg";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TERMS = {"loss_box", "loss_seg", "loss_cls", "loss_dfl", "loss_total"};

    /**
     * @param params    every weight of the trainable graph (frozen ones too)
     * @param trainable the names the optimiser updates
     * @param pending   whether gradients accumulated since the last update are to be kept
     */
    static void write(Path file, long step, long seed, String settingsSha256, int epochsDone, int imagesIntoEpoch,
                      long lastOptimizerStep, Optimizer opt, double[] epochSums, int epochSeen, int epochSkipped,
                      double epochSeconds, Map<String, NDArray> params, List<String> trainable, boolean pending)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", CheckpointFormat.FORMAT);
        root.put("trainer", TRAINER);
        root.put("step", step);
        root.put("seed", seed);
        root.put("spec_sha256", settingsSha256);
        ObjectNode losses = root.putObject("losses");
        for (int i = 0; i < TERMS.length; i++) {
            losses.put(TERMS[i], epochSeen > 0 ? epochSums[i] / epochSeen : 0);
        }
        Map<String, float[]> entries = new LinkedHashMap<>();
        ArrayNode weights = root.putArray("weights");
        int i = 0;
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            ObjectNode w = weights.addObject();
            w.put("name", e.getKey());
            ArrayNode shape = w.putArray("shape");
            for (long d : e.getValue().getShape().getShape()) {
                shape.add(d);
            }
            w.put("entry", "w/" + i);
            entries.put("w/" + i, e.getValue().toFloatArray());
            i++;
        }
        Map<String, NDArray> state = opt.state();
        ArrayNode optimizer = root.putArray("optimizer");
        for (int k = 0; k < trainable.size(); k++) {
            String name = trainable.get(k);
            ObjectNode o = optimizer.addObject();
            o.put("parameter", name);
            buffer(o, "entry", "v/" + k, state.get("1:" + name), entries);
            buffer(o, "entry2", "a/" + k, state.get("2:" + name), entries);
            if (pending) {
                try (NDArray g = params.get(name).getGradient()) { // a second handle on .grad: closing it keeps .grad
                    buffer(o, "gradient", "g/" + k, g, entries);
                }
            } else {
                o.putNull("gradient");
            }
        }
        ObjectNode y = root.putObject("yolo");
        y.put("epochs_done", epochsDone).put("images_into_epoch", imagesIntoEpoch)
                .put("last_optimizer_step", lastOptimizerStep).put("optimizer_steps", opt.steps())
                .put("optimizer", opt.kind()).put("epoch_seen", epochSeen).put("epoch_skipped", epochSkipped)
                .put("epoch_seconds", epochSeconds);
        ArrayNode sums = y.putArray("epoch_sums");
        for (double v : epochSums) {
            sums.add(v);
        }
        CheckpointZip.write(file, root, entries);
    }

    private static void buffer(ObjectNode o, String key, String entry, NDArray a, Map<String, float[]> entries) {
        if (a == null) {
            o.putNull(key);
        } else {
            o.put(key, entry);
            entries.put(entry, a.toFloatArray());
        }
    }

    /** @throws IOException naming the file when it is not a complete YOLO-seg checkpoint */
    static Checkpoint read(Path file) throws IOException {
        CheckpointZip.Contents c = CheckpointZip.read(file, CheckpointFormat.FORMAT);
        JsonNode root = c.state();
        if (!TRAINER.equals(root.path("trainer").asText())) {
            throw new IOException(file + ": a checkpoint of the " + root.path("trainer").asText("maskrcnn")
                    + " trainer, not of YOLO-seg");
        }
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (JsonNode w : root.path("weights")) {
            weights.put(w.get("name").asText(), c.floats(w.get("entry").asText()));
        }
        Map<String, float[]> opt = new LinkedHashMap<>();
        Map<String, float[]> grads = new LinkedHashMap<>();
        for (JsonNode o : root.path("optimizer")) {
            String name = o.get("parameter").asText();
            if (!o.path("entry").isNull() && o.has("entry")) {
                opt.put("1:" + name, c.floats(o.get("entry").asText()));
            }
            if (!o.path("entry2").isNull() && o.has("entry2")) {
                opt.put("2:" + name, c.floats(o.get("entry2").asText()));
            }
            if (!o.path("gradient").isNull() && o.has("gradient")) {
                grads.put(name, c.floats(o.get("gradient").asText()));
            }
        }
        JsonNode y = root.path("yolo");
        double[] sums = new double[TERMS.length];
        for (int i = 0; i < sums.length; i++) {
            sums[i] = y.path("epoch_sums").path(i).asDouble();
        }
        return new Checkpoint(root.path("step").asLong(), root.path("seed").asLong(),
                root.path("spec_sha256").asText(), y.path("epochs_done").asInt(), y.path("images_into_epoch").asInt(),
                y.path("last_optimizer_step").asLong(-1), y.path("optimizer_steps").asLong(),
                y.path("optimizer").asText(), sums, y.path("epoch_seen").asInt(), y.path("epoch_skipped").asInt(),
                y.path("epoch_seconds").asDouble(), weights, opt, grads);
    }
}
