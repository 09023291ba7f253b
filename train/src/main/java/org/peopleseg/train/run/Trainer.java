package org.peopleseg.train.run;

import ai.djl.engine.Engine;
import org.peopleseg.core.io.UntrustedJson;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.peopleseg.core.io.Sha256;
import org.peopleseg.core.sys.ProcessMemory;
import org.peopleseg.models.maskrcnn.WeightTensor;
import org.peopleseg.train.TrainingEngine;
import org.peopleseg.train.checkpoint.CheckpointStore;
import org.peopleseg.train.checkpoint.TrainingState;
import org.peopleseg.train.data.BatchAssembler;
import org.peopleseg.train.data.DataOrder;
import org.peopleseg.train.data.SampleLoader;
import org.peopleseg.train.data.TrainingSet;
import org.peopleseg.train.net.LossTerms;
import org.peopleseg.train.net.TrainableModel;
import org.peopleseg.train.net.TrainingBatch;
import org.peopleseg.train.optim.LearningRateSchedule;
import org.peopleseg.train.optim.MomentumSgd;
import org.peopleseg.train.spec.Schedule;
import org.peopleseg.train.spec.TrainingConfig;

/**
 * Trains a network from a resolved {@link TrainingConfig}: TAO's schedule and optimiser over the COCO training set,
 * a progress line and a {@code train.jsonl} line per step, and every {@code num_steps_per_eval} steps (and at the
 * end, or on a stop request) an atomic checkpoint followed by an evaluation into {@code eval/STEP/}.
 *
 * <p>Exact resumption: the data order, the flips and the learning rate are functions of the seed and the step
 * ({@link DataOrder}, {@link LearningRateSchedule}); the checkpoint holds the weights and the optimiser's
 * velocity. A resumed run therefore makes the same updates as an uninterrupted one, provided the network's own
 * sampling is a function of its seed and the batch (see {@code TrainingRules.seed}).
 *
 * <p>A loss or gradient that is NaN or infinite stops the run before the update, naming the step and the term;
 * the last checkpoint (written before that step) is left as it is.
 */
public final class Trainer {
    private static final ObjectMapper JSON = UntrustedJson.mapper();

    /**
     * @param runDir        the run folder (created)
     * @param resume        continue from the newest checkpoint in {@code runDir}
     * @param stopRequested polled before each step: when true, checkpoint and return (Ctrl-C)
     * @param evaluator     evaluates checkpoints, or null (no validation data)
     * @param packager      builds the final package from the trained weights, or null
     */
    public record Options(Path runDir, boolean resume, PrintWriter log, BooleanSupplier stopRequested,
            CheckpointEvaluator evaluator, FinalPackager packager) {}

    /** Writes the trained package ({@code model.onnx}) from the final weights. */
    @FunctionalInterface
    public interface FinalPackager {
        Path write(Map<String, WeightTensor> weights, TrainingSummary sofar, TrainingSet data, String startWeights)
                throws IOException;
    }

    private final TrainingConfig config;
    private final ModelFactory factory;
    private final Options options;
    private final PrintWriter log;
    private String startDescription = "resumed run";

    public Trainer(TrainingConfig config, ModelFactory factory, Options options) {
        this.config = config;
        this.factory = factory;
        this.options = options;
        this.log = options.log();
    }

    public TrainingSummary run() throws IOException, TrainingException {
        Engine engine = TrainingEngine.get();
        Path runDir = options.runDir();
        CheckpointStore store = new CheckpointStore(runDir);
        Path jsonl = runDir.resolve("train.jsonl");
        if (!options.resume() && (Files.exists(jsonl) || !store.list().isEmpty())) {
            throw new TrainingException(runDir + ": already holds a run (train.jsonl or checkpoints/): add --resume to "
                    + "continue it, or choose another --output");
        }
        Files.createDirectories(runDir);

        log.println("Reading the training set " + config.data().trainAnnotations() + " (images in "
                + config.data().trainImages() + ") ...");
        log.flush();
        TrainingSet data = TrainingSet.load(config.data().trainAnnotations(), config.data().trainImages(),
                config.data().trainSelection(), config.model().numClasses(), config.data().skipCrowd(), config.data().maxInstances(), log);
        Schedule schedule = config.schedule().withTrainingImages(data.size());
        log.printf(Locale.ROOT, "Training set: %d images, %d instances%s; skipped %d unreadable images, %d annotations "
                        + "without a usable box, %d crowd, %d beyond max_num_instances%n",
                data.size(), data.instances(), data.hasMasks() ? " with masks" : " (boxes only: no mask loss)",
                data.failures().size(), data.skippedAnnotations(), data.crowdSkipped(), data.truncatedAnnotations());
        log.flush();

        String specSha = Sha256.hex(config.spec().text());
        LearningRateSchedule lrs = LearningRateSchedule.of(schedule);
        BatchAssembler batches = new BatchAssembler(data, new SampleLoader(config.model().input(),
                config.model().includeMask()), new DataOrder(schedule.seed(), data.size(), config.data().horizontalFlip()),
                schedule.batchSize());
        long total = schedule.totalSteps();

        long step = 0;
        Map<String, WeightTensor> weights;
        TrainingState resumed = null;
        // killed before its first checkpoint, a run has nothing to continue from: --resume starts it again (the
        // cut log is dropped) instead of leaving a folder that neither --resume nor a new run would accept
        boolean restart = options.resume() && store.list().isEmpty();
        if (restart) {
            log.println("No checkpoint in " + store.dir() + " yet: starting the run again from step 0");
            truncateLog(jsonl, 0);
        }
        if (options.resume() && !restart) {
            resumed = latest(store, specSha, schedule.seed());
            startDescription = readRunInfo(runDir).path("start_weights").asText(startDescription);
            weights = resumed.weights();
            step = resumed.step();
        } else {
            StartWeightsLoader.Loaded start = StartWeightsLoader.load(config.startWeights(), config.model());
            weights = start.weights();
            startDescription = start.description();
            log.println("Start weights: " + start.description());
            writeRunInfo(runDir, specSha, start.description(), data);
        }
        try (TrainableModel model = create(weights, step)) {
            List<Parameter> params = model.trainableParameters();
            List<String> names = new ArrayList<>();
            params.forEach(p -> names.add(p.getName()));
            try (MomentumSgd sgd = new MomentumSgd(params, schedule.momentum(), schedule.l2WeightDecay(),
                    schedule.l1WeightDecay(), schedule.gradientClipNorm())) {
                if (resumed != null) {
                    if (!resumed.parameterNames().equals(names)) {
                        throw new TrainingException("cannot resume: the checkpoint's trainable parameters differ from "
                                + "the network's");
                    }
                    sgd.restore(resumed.velocity());
                    truncateLog(jsonl, step);
                    log.println("Resuming from " + store.fileFor(step) + " at step " + step);
                }
                log.printf(Locale.ROOT, "Training %d steps (batch %d, %d trainable tensors), checkpoint every %d; "
                        + "run folder %s%n", total, schedule.batchSize(), params.size(), schedule.stepsPerEval(), runDir);
                log.flush();
                return loop(engine, model, sgd, names, store, jsonl, batches, lrs, schedule, data, step, total, specSha);
            }
        }
    }

    /** run.json: what the run started from, so a resumed run's package still records it. */
    private void writeRunInfo(Path runDir, String specSha, String start, TrainingSet data) throws IOException {
        var o = JSON.createObjectNode();
        o.put("format", "peopleseg.train-run/1");
        o.put("spec_sha256", specSha);
        o.put("start_weights", start);
        o.put("train_annotations", config.data().trainAnnotations().toString());
        o.put("train_annotations_sha256", data.annotationsSha256());
        o.put("train_images", data.size());
        org.peopleseg.core.io.AtomicFiles.writeString(runDir.resolve("run.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
    }

    private static com.fasterxml.jackson.databind.JsonNode readRunInfo(Path runDir) throws IOException {
        Path f = runDir.resolve("run.json");
        return Files.exists(f) ? JSON.readTree(f.toFile()) : JSON.createObjectNode();
    }

    private TrainableModel create(Map<String, WeightTensor> weights, long step) throws TrainingException {
        try {
            return factory.create(config, weights, step);
        } catch (IllegalArgumentException e) {
            throw new TrainingException("the network cannot be built: " + e.getMessage(), e);
        }
    }

    private TrainingState latest(CheckpointStore store, String specSha, long seed) throws IOException, TrainingException {
        Optional<TrainingState> latest = store.latest();
        if (latest.isEmpty()) {
            throw new TrainingException(store.dir() + ": no checkpoint to resume from");
        }
        TrainingState s = latest.get();
        if (!s.specSha256().equals(specSha)) {
            throw new TrainingException("cannot resume: the spec differs from the one the run in " + options.runDir()
                    + " started with (resume needs the same spec text)");
        }
        if (s.seed() != seed) {
            throw new TrainingException("cannot resume: the checkpoint's seed is " + s.seed() + ", the spec's " + seed);
        }
        return s;
    }

    private TrainingSummary loop(Engine engine, TrainableModel model, MomentumSgd sgd, List<String> names,
            CheckpointStore store, Path jsonl, BatchAssembler batches, LearningRateSchedule lrs, Schedule schedule,
            TrainingSet data, long step, long total, String specSha) throws IOException, TrainingException {
        Map<String, Double> lastEval = Map.of();
        Path lastCheckpoint = store.list().isEmpty() ? null : store.list().get(store.list().size() - 1);
        double secondsSum = 0;
        int timed = 0;
        boolean interrupted = false;
        Map<String, Double> lastLosses = Map.of();
        long startStep = step;
        NDManager base = params(sgd).getManager();
        try (BufferedWriter out = Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            while (step < total) {
                if (options.stopRequested().getAsBoolean()) {
                    interrupted = true;
                    break;
                }
                long t0 = System.nanoTime();
                TrainingBatch batch = batches.batch(step);
                double lr = lrs.at(step);
                double[] values;
                try (NDManager stepManager = base.newSubManager();
                     GradientCollector gc = engine.newGradientCollector()) {
                    LossTerms terms = model.losses(stepManager, batch);
                    values = values(terms);
                    checkFinite(step + 1, values, store);
                    gc.backward(terms.total());
                } catch (RuntimeException e) {
                    // a failure inside the network (libtorch's messages name no step): stop like a NaN, no update
                    throw new TrainingException(String.format(Locale.ROOT, "step %d: the network failed: %s%s",
                            step + 1, e.getMessage(), lastGood(store)), e);
                }
                double norm = sgd.step(lr);
                if (!Double.isFinite(norm)) {
                    throw new TrainingException(String.format(Locale.ROOT, "step %d: the gradient norm is %s (losses "
                            + "finite); stopped before the update%s", step + 1, norm, lastGood(store)));
                }
                step++;
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (step > startStep + 1 || total - startStep == 1) {
                    secondsSum += seconds; // the first step pays for warm-up: leave it out of s/step
                    timed++;
                }
                long[] ids = batches.imageIds(step - 1);
                boolean[] flips = batches.flips(step - 1);
                StepRecord rec = new StepRecord(step, lr, values[0], values[1], values[2], values[3], values[4],
                        values[5], norm, seconds, ProcessMemory.mib(ProcessMemory.read().rssBytes()), ids, flips);
                out.write(rec.toJson(JSON));
                out.newLine();
                out.flush();
                lastLosses = losses(values);
                double perStep = timed > 0 ? secondsSum / timed : seconds;
                if (step % schedule.loggingFrequency() == 0 || step == total) {
                    log.println(ProgressLine.format(rec, total, perStep));
                    log.flush();
                }
                if (step % schedule.stepsPerEval() == 0 || step == total) {
                    lastCheckpoint = checkpoint(store, model, sgd, names, specSha, schedule.seed(), step, lastLosses);
                    lastEval = evaluate(step, model);
                    returnHeap(step);
                }
            }
        }
        if (interrupted && step > startStep && (lastCheckpoint == null || !lastCheckpoint.equals(store.fileFor(step)))) {
            log.println("Stop requested: writing a checkpoint at step " + step + " ...");
            log.flush();
            lastCheckpoint = checkpoint(store, model, sgd, names, specSha, schedule.seed(), step, lastLosses);
        }
        double perStep = timed > 0 ? secondsSum / timed : 0;
        TrainingSummary summary = new TrainingSummary(step, total, interrupted, lastCheckpoint, data.failures().size(),
                data.failures(), data.skippedAnnotations(), lastEval, perStep, null);
        if (!interrupted && options.packager() != null) {
            Path pkg = options.packager().write(model.stateDict(), summary, data, startDescription);
            summary = new TrainingSummary(step, total, false, lastCheckpoint, data.failures().size(), data.failures(),
                    data.skippedAnnotations(), lastEval, perStep, pkg);
        }
        return summary;
    }

    private static NDArray params(MomentumSgd sgd) {
        if (sgd.parameters().isEmpty()) {
            throw new IllegalStateException("the network has no trainable parameters");
        }
        return sgd.parameters().get(0).getArray();
    }

    private Path checkpoint(CheckpointStore store, TrainableModel model, MomentumSgd sgd, List<String> names,
            String specSha, long seed, long step, Map<String, Double> losses) throws IOException {
        long t0 = System.nanoTime();
        Path file = store.save(new TrainingState(step, seed, specSha, model.stateDict(), names, sgd.velocity(), losses));
        log.printf(Locale.ROOT, "Checkpoint %s (%.1f s)%n", file, (System.nanoTime() - t0) / 1e9);
        log.flush();
        return file;
    }

    private Map<String, Double> evaluate(long step, TrainableModel model) throws IOException {
        if (options.evaluator() == null) {
            return Map.of();
        }
        Path dir = options.runDir().resolve("eval").resolve(Long.toString(step));
        log.println("Evaluating step " + step + " on the validation set into " + dir + " ...");
        log.flush();
        long t0 = System.nanoTime();
        Map<String, Double> result = options.evaluator().evaluate(step, model.stateDict(), dir);
        double seconds = (System.nanoTime() - t0) / 1e9;
        var o = JSON.createObjectNode();
        o.put("step", step);
        result.forEach(o::put);
        org.peopleseg.core.io.AtomicFiles.writeString(dir.resolve("summary.json"), o.toString() + "\n");
        StringBuilder line = new StringBuilder("Evaluation at step " + step + ":");
        result.forEach((k, v) -> line.append(String.format(Locale.ROOT, "  %s %.4f", k, v)));
        log.println(line.append(String.format(Locale.ROOT, "  (%.1f s)", seconds)));
        log.flush();
        return result;
    }

    /**
     * A full collection after each checkpoint and evaluation ({@link HeapReturn}): measured at 320x192, 860 MB of heap
     * in use, 13 MB of it live, and RSS swung between 0.8 and 1.5 GB without it. Between checkpoints the launcher
     * bounds the young generation ({@code -XX:MaxNewSize}), the other half of keeping RSS flat.
     */
    private void returnHeap(long step) {
        log.printf(Locale.ROOT, "Memory after step %d's checkpoint: %s%n", step, HeapReturn.collect());
        log.flush();
    }

    private static double[] values(LossTerms t) {
        NDArray[] arrays = {t.rpnObjectness(), t.rpnBox(), t.classifier(), t.box(), t.mask(), t.total()};
        double[] v = new double[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            v[i] = arrays[i] == null ? 0 : arrays[i].toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        }
        return v;
    }

    private void checkFinite(long step, double[] values, CheckpointStore store) throws TrainingException, IOException {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new TrainingException(String.format(Locale.ROOT, "step %d: %s is %s; stopped before the update%s",
                        step, StepRecord.LOSS_NAMES[i], values[i], lastGood(store)));
            }
        }
    }

    private static String lastGood(CheckpointStore store) throws IOException {
        List<Path> files = store.list();
        return files.isEmpty() ? " (no checkpoint was written yet)"
                : ", the last good checkpoint " + files.get(files.size() - 1) + " is kept";
    }

    private static Map<String, Double> losses(double[] v) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < v.length; i++) {
            m.put(StepRecord.LOSS_NAMES[i], v[i]);
        }
        return m;
    }

    /** Drops train.jsonl lines after {@code step} (written after the checkpoint a resume starts from). */
    static void truncateLog(Path jsonl, long step) throws IOException {
        if (!Files.exists(jsonl)) {
            return;
        }
        List<String> keep = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                if (JSON.readTree(line).path("step").asLong() <= step) {
                    keep.add(line);
                }
            } catch (IOException partial) {
                // a line cut by a kill: dropped
            }
        }
        org.peopleseg.core.io.AtomicFiles.writeString(jsonl, keep.isEmpty() ? "" : String.join("\n", keep) + "\n");
    }
}
