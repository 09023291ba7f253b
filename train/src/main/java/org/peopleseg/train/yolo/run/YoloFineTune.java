package org.peopleseg.train.yolo.run;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoImage;
import org.peopleseg.core.image.ImageReader;
import org.peopleseg.core.io.Sha256;
import org.peopleseg.core.sys.ProcessMemory;
import org.peopleseg.runtime.model.ModelMetadata;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.runtime.onnx.proto.Onnx.StringStringEntryProto;
import org.peopleseg.train.TrainingEngine;
import org.peopleseg.train.report.TrainingReport;
import org.peopleseg.train.run.HeapReturn;
import org.peopleseg.train.run.ProgressFormat;
import org.peopleseg.train.yolo.data.SampleBuilder;
import org.peopleseg.train.yolo.data.TrainingSample;
import org.peopleseg.train.yolo.graph.TrainableGraph;
import org.peopleseg.train.yolo.graph.YoloSegHead;
import org.peopleseg.train.yolo.loss.AnchorPoints;
import org.peopleseg.train.yolo.loss.HeadTensors;
import org.peopleseg.train.yolo.loss.LossGains;
import org.peopleseg.train.yolo.loss.SegmentationLoss;
import org.peopleseg.train.yolo.loss.TaskAlignedAssigner;
import org.peopleseg.train.yolo.loss.YoloLossTerms;

/**
 * Fine-tunes a yolo-seg package on COCO-format data, batch 1 with Ultralytics' gradient accumulation to the nominal
 * batch, and writes the result back into the package's own ONNX graph ({@code model.onnx}: same graph, new conv
 * weights, metadata saying where it came from).
 *
 * <p>Run folder, in the layout the Mask R-CNN trainer writes too: {@code train.jsonl} (a line per image: losses,
 * lr), {@code metrics.jsonl} (a line per epoch, with the validation numbers when evaluated),
 * {@code checkpoints/step-N.ckpt} (resumable: after every epoch and on Ctrl-C), {@code eval/STEP/} (validation),
 * {@code report.html}, {@code model.onnx}, {@code report.json}.
 */
public final class YoloFineTune {
    private final FineTuneSettings s;
    private final PrintStream log;
    private int stopAfterEpochs = Integer.MAX_VALUE;
    private long deadlineNanos = Long.MAX_VALUE;
    private long maxImages = Long.MAX_VALUE;
    private BooleanSupplier stopRequested = () -> false;
    private YoloValidation.Settings validationSettings;

    public YoloFineTune(FineTuneSettings settings, PrintStream log) {
        this.s = settings;
        this.log = log;
    }

    /** Stops (checkpoint written, no package) after this many epochs: an interruption, for tests. */
    YoloFineTune stopAfter(int epochs) {
        this.stopAfterEpochs = epochs;
        return this;
    }

    /**
     * Stops after the image that passes {@code seconds} of training: the partial epoch's update is applied, its
     * metrics line written and the package built from the weights so far (no checkpoint: resuming restarts that
     * epoch). Sizes a run to a time budget on a shared machine.
     */
    public YoloFineTune timeLimit(double seconds) {
        this.deadlineNanos = seconds > 0 ? System.nanoTime() + (long) (seconds * 1e9) : Long.MAX_VALUE;
        return this;
    }

    /** Like {@link #timeLimit} but after a number of images (reproducible: the data order is seeded). */
    public YoloFineTune maxImages(long images) {
        this.maxImages = images > 0 ? images : Long.MAX_VALUE;
        return this;
    }

    /**
     * Polled after every image: when true, writes a checkpoint (with the pending gradient accumulation) and
     * returns with no package; {@code --resume} continues exactly. Ctrl-C through {@code StopSignal}.
     */
    public YoloFineTune stopWhen(BooleanSupplier stop) {
        this.stopRequested = stop;
        return this;
    }

    /** Evaluates the start weights, every {@code settings.everyEpochs()} epochs and the last epoch's weights. */
    public YoloFineTune validate(YoloValidation.Settings settings) {
        this.validationSettings = settings;
        return this;
    }

    /**
     * @return the result; {@link FineTuneResult#model()} is null when the run was stopped early
     * @throws IllegalArgumentException bad package or data, named; IOException unreadable files
     */
    public FineTuneResult run() throws IOException {
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(s.model()));
        Map<String, String> props = new HashMap<>();
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            props.put(e.getKey(), e.getValue());
        }
        ModelMetadata meta;
        try {
            meta = ModelMetadata.fromProperties(props);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(s.model() + ": " + e.getMessage());
        }
        if (!meta.architecture().equals("yolo-seg")) {
            throw new IllegalArgumentException(s.model() + ": architecture " + meta.architecture()
                    + "; the YOLO trainer takes yolo-seg packages");
        }
        if (!meta.precision().equals("fp32")) {
            throw new IllegalArgumentException(s.model() + ": precision " + meta.precision() + "; fine-tune an fp32"
                    + " package (peopleseg import --precision fp32), quantise afterwards");
        }
        YoloSegHead head = YoloSegHead.find(model);
        CocoDataset data = CocoDataset.read(s.annotations());
        List<CocoImage> images = new ArrayList<>();
        for (CocoImage im : data.images()) {
            if (s.idModulus() <= 0 || im.id() % s.idModulus() == s.idRemainder()) {
                images.add(im);
            }
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException(s.annotations() + ": no images to train on");
        }
        boolean withMasks = data.hasMasks();
        Map<Integer, Integer> labelOf = new HashMap<>();
        for (int i = 0; i < meta.categoryIds().size(); i++) {
            labelOf.put(meta.categoryIds().get(i), i);
        }
        int w = meta.inputWidth(), h = meta.inputHeight();
        Files.createDirectories(s.output());
        Engine engine = TrainingEngine.get();
        if (!TrainingEngine.tcmallocPreloaded()) {
            log.println("peopleseg train: tcmalloc is not preloaded (LD_PRELOAD); libtorch's CPU training is ~30% "
                    + "slower without it");
        }
        List<String> cut = List.of(head.raw(), head.coefficients(), head.protos());
        try (NDManager base = engine.newBaseManager();
             TrainableGraph graph = TrainableGraph.translate(model, base, cut)) {
            Map<String, NDArray> params = graph.parameters();
            Set<String> frozen = FreezeRule.frozen(graph, head, s.freeze(), withMasks);
            List<String> trainable = params.keySet().stream().filter(k -> !frozen.contains(k)).toList();
            for (String k : trainable) {
                params.get(k).setRequiresGradient(true);
            }
            long optimiserSteps = (long) Math.ceil(images.size() / (double) Math.max(1, s.hyper().nbs()))
                    * s.epochs();
            Hyperparameters hp = s.hyper().resolve(optimiserSteps, meta.labels().size());
            LearningSchedule schedule = new LearningSchedule(hp, s.epochs(), images.size(), 1);
            double decay = hp.weightDecay() * schedule.accumulate() / hp.nbs();
            if (s.epochs() > 0) { // --epochs 0 trains nothing: its one line at the end says so
                log.printf(Locale.ROOT, "peopleseg train: %s, %d images (%s), %d of %d weight tensors train (freeze %s%s),"
                            + " %s lr0 %.4g, accumulate %d, %d epochs%n", s.model().getFileName(), images.size(),
                    withMasks ? "boxes and masks" : "boxes only: the mask branch stays as it is", trainable.size(),
                    params.size(), s.freeze(), withMasks ? "" : " + mask branch", hp.optimizer(), hp.lr0(),
                    schedule.accumulate(), s.epochs());
            }
            if (s.augmentation().crops()) {
                log.printf(Locale.ROOT, "peopleseg train: each sample is a %dx%d window of the image letterboxed to "
                        + "%dx%d%n", w, h, s.augmentation().cropFromWidth(), s.augmentation().cropFromHeight());
            }
            float[] projection = graph.constant(head.projection()).toFloatArray();
            SegmentationLoss loss = new SegmentationLoss(TaskAlignedAssigner.ultralytics(), LossGains.ultralytics(),
                    AnchorPoints.of(w, h, AnchorPoints.YOLO_STRIDES), projection, w, h);
            SampleBuilder samples = new SampleBuilder(w, h, s.augmentation(), labelOf, rnd -> {
                CocoImage other = images.get(rnd.nextInt(images.size()));   // a mosaic's other tiles
                try {
                    return new SampleBuilder.Tile(ImageReader.toRgb(ImageReader.read(s.images().resolve(
                            other.fileName()))), data.annotationsOf(other.id()));
                } catch (IOException e) {
                    throw new IOException("mosaic tile " + other.fileName() + ": " + e.getMessage(), e);
                }
            });
            RunCheckpoints store = RunCheckpoints.of(s);
            String settingsSha = store.settingsSha256();
            List<FineTuneResult.EpochMetrics> history = new ArrayList<>(readHistory());
            ModelProto target = s.deploy() != null ? ModelProto.parseFrom(Files.readAllBytes(s.deploy())) : model;
            YoloValidation validation = validationSettings == null ? null
                    : new YoloValidation(validationSettings, target, s.output(), log);
            RunState st = new RunState();   // a fresh run; a resume replaces it
            try (Optimizer opt = new Optimizer(hp.optimizer(), decay, base)) {
                if (s.resume()) {
                    Checkpoint c = store.latest(log);
                    if (c != null) {
                        st = RunState.restore(engine, c, params, trainable, opt);
                        history = new ArrayList<>(history.subList(0, Math.min(history.size(), st.epoch)));
                        log.printf("peopleseg train: resumed from %s at step %d (epoch %d, image %d of it)%n",
                                store.fileFor(c.step()), c.step(), st.epoch + 1, st.intoEpoch);
                    }
                } else if (!store.isEmpty()) {
                    throw new IllegalArgumentException(s.output() + ": already holds a run (checkpoints/): add "
                            + "--resume to continue it, or choose another --output");
                }
                long totalSteps = Math.min(maxImages, (long) s.epochs() * images.size());
                int skippedTotal = 0, nonFiniteGradients = 0;
                boolean stoppedEarly = false, interrupted = false;
                try (TrainLog trainLog = new TrainLog(s.output(), s.resume() ? st.ni : -1, st.epoch)) {
                    if (validation != null && st.ni == 0) {
                        validation.evaluate(0, 0, graph);
                    }
                    for (int epoch = st.epoch; epoch < s.epochs() && !interrupted; epoch++) {
                        List<Integer> order = new ArrayList<>();
                        for (int i = 0; i < images.size(); i++) {
                            order.add(i);
                        }
                        java.util.Collections.shuffle(order, new Random(s.seed() * 1_000_003L + epoch));
                        boolean resumedHere = epoch == st.epoch && st.intoEpoch > 0;
                        double[] sums = resumedHere ? st.sums : new double[5];
                        int seen = resumedHere ? st.seen : 0, skipped = resumedHere ? st.skipped : 0;
                        int first = resumedHere ? st.intoEpoch : 0;
                        long t0 = System.nanoTime() - (resumedHere ? (long) (st.seconds * 1e9) : 0);
                        LearningSchedule.Point pt = schedule.at(st.ni, epoch);
                        for (int k = first; k < order.size(); k++) {
                            CocoImage im = images.get(order.get(k));
                            pt = schedule.at(st.ni, epoch);
                            long ts = System.nanoTime();
                            TrainingSample sample;
                            try {
                                BufferedImage rgb = ImageReader.toRgb(ImageReader.read(s.images().resolve(
                                        im.fileName())));
                                sample = samples.build(im.fileName(), rgb, data.annotationsOf(im.id()), withMasks,
                                        new Random(SampleSeeds.of(s.seed(), epoch, im.id())));
                            } catch (IOException | RuntimeException e) {
                                log.printf("peopleseg train: %s: skipped: %s%n", im.fileName(), e.getMessage());
                                skipped++;
                                continue;
                            }
                            YoloLossTerms t = step(engine, base, graph, head, loss, sample, epoch, im.fileName());
                            String badGradient = GradientCheck.firstNonFinite(params, trainable, base);
                            if (badGradient != null) {
                                // Seen on coco-person with masks and crops, not reproducible on a rerun, once
                                // with a native crash (README "Limitations (training)"): drop this image and the
                                // accumulation it poisoned rather than write NaN into every weight.
                                GradientCheck.zero(params, trainable, base);
                                long dropped = st.ni - 1 - st.lastStep;
                                st.lastStep = st.ni - 1;
                                if (++nonFiniteGradients > GradientCheck.MAX_PER_RUN) {
                                    throw new IllegalStateException("epoch " + (epoch + 1) + ", " + im.fileName()
                                            + ": the gradient of " + badGradient + " is not finite (losses finite: "
                                            + t + "), the " + nonFiniteGradients + "th time in this run; stopped, "
                                            + "the last checkpoint is kept");
                                }
                                log.printf("peopleseg train: epoch %d, %s: the gradient of %s is not finite (losses "
                                        + "finite); the image and the %d image(s) accumulated before it are dropped"
                                        + "%n", epoch + 1, im.fileName(), badGradient, dropped);
                                skipped++;
                                continue;
                            }
                            sums[0] += t.box();
                            sums[1] += t.seg();
                            sums[2] += t.cls();
                            sums[3] += t.dfl();
                            sums[4] += t.total();
                            seen++;
                            if (st.ni - st.lastStep >= pt.accumulate()) {
                                opt.step(params, trainable, pt.weightLr(), pt.biasLr(), pt.momentum());
                                st.lastStep = st.ni;
                            }
                            double rss = ProcessMemory.mib(ProcessMemory.read().rssBytes());
                            trainLog.step(epoch, st.ni, im.id(), im.fileName(), t, pt,
                                    (System.nanoTime() - ts) / 1e9, rss);
                            st.ni++;
                            boolean late = System.nanoTime() > deadlineNanos || st.ni >= maxImages;
                            boolean stop = !late && k < order.size() - 1 && stopRequested.getAsBoolean();
                            if (late) {
                                log.printf("peopleseg train: limit reached after image %d of %d in epoch %d;"
                                        + " building the package from the weights so far%n", k + 1, order.size(),
                                        epoch + 1);
                            }
                            if (seen % 10 == 0 || k == order.size() - 1 || late || stop) {
                                double perStep = (System.nanoTime() - t0) / 1e9 / (k + 1 - first + 1e-9);
                                log.println(ProgressFormat.line(st.ni, totalSteps, (epoch + 1) + "/" + s.epochs(),
                                        terms(sums, seen), sums[4] / seen, pt.weightLr(), perStep, rss));
                            }
                            if (stop) {
                                // Ctrl-C between images: keep the pending accumulation in the checkpoint
                                trainLog.flush();
                                Path file = store.fileFor(st.ni);
                                Checkpoint.write(file, st.ni, s.seed(), settingsSha, epoch, k + 1, st.lastStep, opt,
                                        sums, seen, skipped, (System.nanoTime() - t0) / 1e9, params, trainable,
                                        st.lastStep < st.ni - 1);
                                store.keepOnly(file);
                                log.printf("peopleseg train: stopped at step %d (epoch %d, image %d of %d); "
                                        + "checkpoint %s; --resume continues exactly%n", st.ni, epoch + 1, k + 1,
                                        order.size(), file);
                                interrupted = true;
                                break;
                            }
                            if (late) {
                                stoppedEarly = true;
                                break;
                            }
                        }
                        if (interrupted) {
                            break;
                        }
                        if (seen == 0) {
                            throw new IllegalArgumentException(s.annotations() + ": no image could be read");
                        }
                        // Apply the epoch's last partial accumulation now (Ultralytics carries it into the next
                        // epoch), so an epoch's checkpoint holds no pending gradients.
                        if (st.lastStep < st.ni - 1) {
                            opt.step(params, trainable, pt.weightLr(), pt.biasLr(), pt.momentum());
                            st.lastStep = st.ni - 1;
                        }
                        double sec = (System.nanoTime() - t0) / 1e9;
                        FineTuneResult.EpochMetrics em = new FineTuneResult.EpochMetrics(epoch + 1, sums[0] / seen,
                                sums[1] / seen, sums[2] / seen, sums[3] / seen, sums[4] / seen, pt.weightLr(), sec,
                                sec / seen, ProcessMemory.mib(ProcessMemory.read().rssBytes()), seen, skipped);
                        history.add(em);
                        skippedTotal += skipped;
                        boolean last = stoppedEarly || epoch + 1 == s.epochs();
                        Map<String, Double> val = validation != null && (last || validation.due(epoch + 1))
                                ? validation.evaluate(st.ni, epoch + 1, graph) : Map.of();
                        trainLog.epoch(em, val);
                        if (stoppedEarly) {
                            break;
                        }
                        Path file = store.fileFor(st.ni);
                        Checkpoint.write(file, st.ni, s.seed(), settingsSha, epoch + 1, 0, st.lastStep, opt,
                                new double[5], 0, 0, 0, params, trainable, false);
                        store.keepOnly(file);
                        returnHeap(epoch + 1);
                        if (epoch + 1 >= stopAfterEpochs && epoch + 1 < s.epochs()) {
                            interrupted = true;
                        } else if (epoch + 1 < s.epochs() && stopRequested.getAsBoolean()) {
                            log.printf("peopleseg train: stopped after epoch %d; checkpoint %s; --resume continues "
                                    + "exactly%n", epoch + 1, file);
                            interrupted = true;
                        }
                    }
                }
                writeReport();
                if (interrupted) {
                    return new FineTuneResult(null, history, images.size(), skippedTotal, hp.optimizer());
                }
                Path out = s.output().resolve("model.onnx");
                ModelMetadata targetMeta = meta;
                Map<String, String> targetProps = props;
                if (s.deploy() != null) {
                    targetProps = new HashMap<>();
                    for (StringStringEntryProto e : target.getMetadataPropsList()) {
                        targetProps.put(e.getKey(), e.getValue());
                    }
                    targetMeta = ModelMetadata.fromProperties(targetProps);
                }
                FineTunedPackage.write(s, graph.writeWeightsInto(target), targetMeta, targetProps, history,
                        images.size(), hp, out, w + "x" + h + (s.augmentation().crops() ? " windows of the image "
                                + "letterboxed to " + s.augmentation().cropFromWidth() + "x"
                                + s.augmentation().cropFromHeight() : ""));
                FineTuneResult result = new FineTuneResult(out, history, images.size(), skippedTotal, hp.optimizer());
                ReportJson.write(s.output().resolve("report.json"), s, result, Sha256.hex(s.model()),
                        Sha256.hex(s.annotations()));
                return result;
            }
        }
    }

    private static Map<String, Double> terms(double[] sums, int seen) {
        Map<String, Double> m = new LinkedHashMap<>();
        String[] names = {"box", "seg", "cls", "dfl"};
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], seen > 0 ? sums[i] / seen : 0);
        }
        return m;
    }

    /**
     * A full collection after each epoch's checkpoint ({@link HeapReturn}, as the Mask R-CNN trainer does): run E
     * (README) went 948 -> 1308 MiB RSS over 16 epochs with 1.1 GB of heap committed around a ~55 MB live set
     * (`jcmd GC.class_histogram`; the count of DJL arrays stayed flat).
     */
    private void returnHeap(int epoch) {
        log.printf(Locale.ROOT, "peopleseg train: after epoch %d's checkpoint: %s%n", epoch, HeapReturn.collect());
    }

    private void writeReport() {
        try {
            TrainingReport.write(s.output());
        } catch (IOException | RuntimeException e) {
            log.println("peopleseg train: could not write " + s.output().resolve("report.html") + ": " + e);
        }
    }

    /** One image: forward to the head cut, loss, backward (gradients accumulate until the optimiser steps). */
    private static YoloLossTerms step(Engine engine, NDManager base, TrainableGraph graph, YoloSegHead head,
                                      SegmentationLoss loss, TrainingSample sample, int epoch, String source) {
        try (NDManager step = base.newSubManager()) {
            NDArray x = step.create(sample.chw(), new Shape(1, 3, sample.height(), sample.width()));
            try (GradientCollector gc = engine.newGradientCollector()) {
                Map<String, NDArray> out = graph.forward(x, List.of(head.raw(), head.coefficients(), head.protos()),
                        step);
                HeadTensors h = HeadTensors.of(out.get(head.raw()), out.get(head.coefficients()),
                        out.get(head.protos()), head.regMax(), head.classRows());
                SegmentationLoss.Result r = loss.compute(h, sample.targets(), step);
                YoloLossTerms t = r.terms();
                String bad = !Double.isFinite(t.box()) ? "box" : !Double.isFinite(t.cls()) ? "cls"
                        : !Double.isFinite(t.dfl()) ? "dfl" : !Double.isFinite(t.seg()) ? "seg" : null;
                if (bad != null) {
                    throw new IllegalStateException("epoch " + (epoch + 1) + ", " + source + ": the " + bad
                            + " loss is not finite; stopped, the last checkpoint is kept");
                }
                gc.backward(r.total());
                return t;
            }
        }
    }

    private List<FineTuneResult.EpochMetrics> readHistory() throws IOException {
        return s.resume() ? TrainLog.readEpochs(s.output()) : List.of();
    }
}
