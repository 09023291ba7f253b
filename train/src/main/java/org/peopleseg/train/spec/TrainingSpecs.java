package org.peopleseg.train.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.peopleseg.models.maskrcnn.MaskRcnnConfig;
import org.peopleseg.models.spec.SpecException;
import org.peopleseg.models.spec.SpecProblems;
import org.peopleseg.models.spec.SpecResolver;
import org.peopleseg.models.spec.TaoSpec;
import org.peopleseg.models.spec.proto.DataConfig;
import org.peopleseg.models.spec.proto.Experiment;
import org.peopleseg.models.spec.proto.MaskRCNNConfig;
import org.peopleseg.models.spec.proto.PeoplesegConfig;
import org.peopleseg.train.data.ImageSelection;
import org.peopleseg.train.net.TrainingRules;

/**
 * Resolves a parsed TAO experiment for training. Every training field is honoured with TAO's meaning or is an error
 * at its line and column; nothing is silently ignored.
 *
 * <p>TAO reads a field that is not written as proto3's zero. For the fields where zero cannot be meant (a batch
 * size, a learning rate, the loss weights, the matching thresholds) a spec that leaves them out — the model card's
 * {@code maskrcnn_config} snippet — gets the values of the PeopleSegNet/TAO sample spec instead, and a note says
 * which. A field written as 0 is taken as 0 (and rejected where 0 is impossible).
 */
public final class TrainingSpecs {

    /** Values of TAO's sample spec (and the card spec) used for top-level fields the text does not write. */
    static final long SEED = 123;
    static final int BATCH = 2;
    static final int TOTAL_STEPS = 25000;
    static final int WARMUP_STEPS = 1000;
    static final double WARMUP_LR = 0.0001;
    static final double INIT_LR = 0.005;
    static final double[] LR_STEPS = {10000, 15000, 20000};
    static final double[] LR_DECAY = {0.1, 0.02, 0.01};
    static final double MOMENTUM = 0.9;
    static final double L2 = 0.00004;
    static final int STEPS_PER_EVAL = 5000;

    private TrainingSpecs() {}

    /** What the command line adds to or overrides in the spec (null: take the spec's). */
    public record Overrides(Path trainAnnotations, Path trainImages, Path valAnnotations, Path valImages,
            Path startWeights, ImageSelection trainSelection, ImageSelection valSelection) {
        public Overrides(Path trainAnnotations, Path trainImages, Path valAnnotations, Path valImages, Path startWeights) {
            this(trainAnnotations, trainImages, valAnnotations, valImages, startWeights, ImageSelection.ALL,
                    ImageSelection.ALL);
        }

        public static Overrides none() {
            return new Overrides(null, null, null, null, null);
        }
    }

    /**
     * @param baseDir relative data paths in the spec are resolved against this (the spec file's folder)
     * @throws SpecException every field that cannot be honoured, with line and column
     */
    public static TrainingConfig resolve(TaoSpec spec, Overrides cli, Path baseDir) throws SpecException {
        SpecProblems problems = new SpecProblems(spec);
        Experiment e = spec.experiment();
        List<String> notes = new ArrayList<>(spec.notes());
        List<String> defaulted = new ArrayList<>();
        Fields f = new Fields(problems, defaulted);

        refuseUnsupported(e, problems, cli, notes);

        long seed = problems.isWritten("seed") ? e.getSeed() : f.note("seed", SEED);
        int batch = f.positive("train_batch_size", e.getTrainBatchSize(), BATCH);
        int totalSteps = e.getTotalSteps();
        int numEpochs = e.getNumEpochs();
        if (!problems.isWritten("total_steps") && !problems.isWritten("num_epochs")) {
            totalSteps = (int) f.note("total_steps", TOTAL_STEPS);
        } else if (totalSteps == 0 && numEpochs == 0) {
            problems.field(problems.isWritten("total_steps") ? "total_steps" : "num_epochs",
                    "total_steps or num_epochs must be positive: it is how long to train");
        } else if (totalSteps > 0 && numEpochs > 0) {
            problems.field("num_epochs", "give total_steps or num_epochs, not both (" + totalSteps + " steps vs "
                    + numEpochs + " epochs)");
        }
        int warmup = problems.isWritten("warmup_steps") ? e.getWarmupSteps() : (int) f.note("warmup_steps", WARMUP_STEPS);
        double warmupLr = f.real("warmup_learning_rate", e.getWarmupLearningRate(), WARMUP_LR);
        double initLr = f.positiveReal("init_learning_rate", e.getInitLearningRate(), INIT_LR);
        double[] lrSteps = spec.tuples().learningRateSteps();
        double[] decay = spec.tuples().learningRateDecayLevels();
        if (!problems.isWritten("learning_rate_steps") && !problems.isWritten("learning_rate_decay_levels")) {
            lrSteps = LR_STEPS.clone();
            decay = LR_DECAY.clone();
            defaulted.add("learning_rate_steps \"[10000, 15000, 20000]\", learning_rate_decay_levels \"[0.1, 0.02, 0.01]\"");
        } else if (lrSteps.length != decay.length) {
            problems.field(problems.isWritten("learning_rate_decay_levels") ? "learning_rate_decay_levels" : "learning_rate_steps",
                    "learning_rate_steps and learning_rate_decay_levels pair up one to one; give both");
        }
        double momentum = f.real("momentum", e.getMomentum(), MOMENTUM);
        double l2 = f.real("l2_weight_decay", e.getL2WeightDecay(), L2);
        int perEval = f.positive("num_steps_per_eval", e.getNumStepsPerEval(), STEPS_PER_EVAL);
        if (e.getSaveCheckpointsSteps() != 0 && e.getSaveCheckpointsSteps() != perEval) {
            problems.field("save_checkpoints_steps", "TAO checkpoints every num_steps_per_eval (" + perEval
                    + ") steps and overrides save_checkpoints_steps; leave it out or set it to " + perEval);
        }
        if (e.getGlobalGradientClipRatio() < 0) {
            problems.field("global_gradient_clip_ratio", "global_gradient_clip_ratio must be >= 0");
        }
        int logging = e.getLoggingFrequency() > 0 ? e.getLoggingFrequency() : 1;
        var schedule = new Schedule(seed, batch, totalSteps, numEpochs, e.getNumExamplesPerEpoch(), warmup, warmupLr,
                initLr, lrSteps, decay, momentum, l2, e.getL1WeightDecay(), e.getGlobalGradientClipRatio(), perEval,
                logging);

        TrainingRules rules = rules(e.getMaskrcnnConfig(), f, seed, problems, notes);
        DataSettings data = data(e, problems, cli, baseDir, notes);
        Path start = cli.startWeights() != null ? cli.startWeights() : startWeights(e, problems, baseDir);

        if (!defaulted.isEmpty()) {
            notes.add("not in the spec, so TAO's sample values are used: " + String.join(", ", defaulted));
        }
        problems.throwIfAny();
        MaskRcnnConfig model = SpecResolver.resolve(spec);
        return new TrainingConfig(spec, model, schedule, data, rules, spec.tuples().freezeBlocks(),
                e.getMaskrcnnConfig().getFreezeBn(), start, notes);
    }

    private static void refuseUnsupported(Experiment e, SpecProblems problems, Overrides cli, List<String> notes) {
        if (e.getUseAmp()) {
            problems.field("use_amp", "use_amp: True cannot be honoured: training runs in float32 on the CPU (no "
                    + "mixed precision); set it to False");
        }
        if (!e.getPrunedModelPath().isEmpty()) {
            problems.field("pruned_model_path", "pruned_model_path cannot be honoured: peopleseg does not prune; "
                    + "start from a checkpoint with checkpoint or --weights");
        }
        if (!e.getSkipCheckpointVariables().isEmpty()) {
            problems.field("skip_checkpoint_variables", "skip_checkpoint_variables cannot be honoured: start weights "
                    + "are loaded whole (a class count change is handled by building with --classes)");
        }
        if (e.getVisualizeImagesSummary()) {
            problems.field("visualize_images_summary", "visualize_images_summary cannot be honoured: there is no "
                    + "TensorBoard; report.html shows the curves");
        }
        if (e.hasWandbConfig() && e.getWandbConfig().getEnabled()) {
            problems.field("wandb_config", "wandb_config cannot be honoured: training makes no network connections");
        }
        if (e.hasClearmlConfig()) {
            problems.field("clearml_config", "clearml_config cannot be honoured: training makes no network connections");
        }
        DataConfig d = e.getDataConfig();
        if (!d.getTrainingFilePattern().isEmpty()) {
            if (cli.trainAnnotations() == null && !e.getPeoplesegConfig().hasTrainJsonFile()) {
                problems.field("data_config.training_file_pattern", "training_file_pattern names TFRecords, which "
                        + "peopleseg does not read: give COCO json with --train-annotations and --train-images (or "
                        + "peopleseg_config.train_json_file / train_image_dir)");
            } else {
                notes.add("data_config.training_file_pattern (TFRecords) is superseded by the COCO training data");
            }
        }
        if (!d.getValidationFilePattern().isEmpty()) {
            notes.add("data_config.validation_file_pattern (TFRecords) is not read: validation uses val_json_file "
                    + "(COCO json) and its image folder");
        }
        MaskRCNNConfig m = e.getMaskrcnnConfig();
        if (!m.getFreezeBn()) {
            problems.field("maskrcnn_config.freeze_bn", "freeze_bn: False cannot be honoured: the network keeps batch "
                    + "norm frozen (statistics and affine, as TAO's freeze_bn: True and torchvision's "
                    + "FrozenBatchNorm2d), which is what a batch of 1-2 images needs; set freeze_bn: True");
        }
    }

    private static TrainingRules rules(MaskRCNNConfig m, Fields f, long seed, SpecProblems problems,
            List<String> notes) {
        String s = "maskrcnn_config.";
        double minSize = f.real(s + "rpn_min_size", m.getRpnMinSize(), TrainingRules.MIN_PROPOSAL_SIZE);
        if (minSize < TrainingRules.MIN_PROPOSAL_SIZE) {
            // Raised, not refused: the card's own snippet writes 0., and it must train as printed.
            notes.add(problems.where(s + "rpn_min_size") + ": rpn_min_size " + minSize + " is raised to "
                    + TrainingRules.MIN_PROPOSAL_SIZE + " (torchvision's RPN min_size) for training: a proposal "
                    + "clipped to the image border can have no width, and its box target log(gt_w / w) divides by "
                    + "zero; inference keeps the spec's value");
            minSize = TrainingRules.MIN_PROPOSAL_SIZE;
        }
        return new TrainingRules(
                f.fraction(s + "rpn_positive_overlap", m.getRpnPositiveOverlap(), 0.7),
                f.fraction(s + "rpn_negative_overlap", m.getRpnNegativeOverlap(), 0.3),
                f.positive(s + "rpn_batch_size_per_im", m.getRpnBatchSizePerIm(), 256),
                f.fraction(s + "rpn_fg_fraction", m.getRpnFgFraction(), 0.5),
                minSize,
                f.positive(s + "train_rpn_pre_nms_topn", m.getTrainRpnPreNmsTopn(), 2000),
                f.positive(s + "train_rpn_post_nms_topn", m.getTrainRpnPostNmsTopn(), 1000),
                f.fraction(s + "train_rpn_nms_threshold", m.getTrainRpnNmsThreshold(), 0.7),
                f.positive(s + "batch_size_per_im", m.getBatchSizePerIm(), 512),
                f.fraction(s + "fg_fraction", m.getFgFraction(), 0.25),
                f.fraction(s + "fg_thresh", m.getFgThresh(), 0.5),
                f.fraction(s + "bg_thresh_hi", m.getBgThreshHi(), 0.5),
                f.fraction(s + "bg_thresh_lo", m.getBgThreshLo(), 0.0),
                f.positive(s + "gt_mask_size", m.getGtMaskSize(), 112),
                f.real(s + "rpn_box_loss_weight", m.getRpnBoxLossWeight(), 1.0),
                f.real(s + "fast_rcnn_box_loss_weight", m.getFastRcnnBoxLossWeight(), 1.0),
                f.real(s + "mrcnn_weight_loss_mask", m.getMrcnnWeightLossMask(), 1.0),
                TrainingRules.Sampling.RANDOM, seed);
    }

    private static DataSettings data(Experiment e, SpecProblems problems, Overrides cli, Path base, List<String> notes) {
        DataConfig d = e.getDataConfig();
        PeoplesegConfig p = e.getPeoplesegConfig();
        Path trainJson = cli.trainAnnotations() != null ? cli.trainAnnotations()
                : p.hasTrainJsonFile() ? base.resolve(p.getTrainJsonFile()) : null;
        Path trainImages = cli.trainImages() != null ? cli.trainImages()
                : p.hasTrainImageDir() ? base.resolve(p.getTrainImageDir()) : null;
        if (trainJson == null && d.getTrainingFilePattern().isEmpty()) {
            problems.field("peopleseg_config.train_json_file", "no training data: give --train-annotations gt.json "
                    + "--train-images DIR (or peopleseg_config { train_json_file train_image_dir })");
        }
        if (trainJson != null && trainImages == null) {
            trainImages = trainJson.toAbsolutePath().getParent();
            notes.add("training images are read from the annotations' folder " + trainImages);
        }
        Path valJson = cli.valAnnotations() != null ? cli.valAnnotations()
                : !d.getValJsonFile().isEmpty() ? base.resolve(d.getValJsonFile()) : null;
        Path valImages = cli.valImages() != null ? cli.valImages()
                : p.hasValImageDir() ? base.resolve(p.getValImageDir()) : null;
        if (valJson != null && valImages == null) {
            valImages = valJson.toAbsolutePath().getParent();
            notes.add("validation images are read from the annotations' folder " + valImages);
        }
        if (valJson == null) {
            notes.add("no validation data (data_config.val_json_file or --val-annotations): checkpoints are not evaluated");
        }
        return new DataSettings(trainJson, trainImages, valJson, valImages, d.getAugmentInputData(),
                d.getSkipCrowdDuringTraining(), d.getMaxNumInstances(), d.getEvalSamples(), cli.trainSelection(),
                cli.valSelection());
    }

    private static Path startWeights(Experiment e, SpecProblems problems, Path base) {
        String c = e.getCheckpoint();
        if (c.isEmpty()) {
            return null;
        }
        String lower = c.toLowerCase(Locale.ROOT);
        if (!(lower.endsWith(".pth") || lower.endsWith(".pt") || lower.endsWith(".onnx"))) {
            problems.field("checkpoint", "checkpoint \"" + c + "\" cannot be honoured: TAO's .hdf5/.tlt files are not "
                    + "readable here; give a torchvision Mask R-CNN checkpoint (.pth), a peopleseg package (.onnx), "
                    + "pass --weights, or leave it out (train from scratch)");
            return null;
        }
        return base.resolve(c);
    }

    /** Reads numbers, substituting the sample value where the field is not written and recording that. */
    private record Fields(SpecProblems problems, List<String> defaulted) {
        long note(String path, long value) {
            defaulted.add(path + " " + value);
            return value;
        }

        int positive(String path, int value, int fallback) {
            if (!problems.isWritten(path)) {
                defaulted.add(leaf(path) + " " + fallback);
                return fallback;
            }
            if (value <= 0) {
                problems.field(path, leaf(path) + " must be positive, got " + value);
            }
            return value;
        }

        double real(String path, float value, double fallback) {
            if (!problems.isWritten(path)) {
                defaulted.add(leaf(path) + " " + fallback);
                return fallback;
            }
            if (value < 0 || !Float.isFinite(value)) {
                problems.field(path, leaf(path) + " must be >= 0, got " + value);
            }
            return SpecResolver.decimal(value);
        }

        double positiveReal(String path, float value, double fallback) {
            double v = real(path, value, fallback);
            if (problems.isWritten(path) && value == 0) {
                problems.field(path, leaf(path) + " must be positive, got 0");
            }
            return v;
        }

        double fraction(String path, float value, double fallback) {
            double v = real(path, value, fallback);
            if (v > 1) {
                problems.field(path, leaf(path) + " must be in [0, 1], got " + value);
            }
            return v;
        }

        private static String leaf(String path) {
            return path.substring(path.lastIndexOf('.') + 1);
        }
    }
}
