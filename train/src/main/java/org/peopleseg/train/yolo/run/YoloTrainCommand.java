package org.peopleseg.train.yolo.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.peopleseg.train.run.StopSignal;
import org.peopleseg.train.yolo.data.Augmentation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code peopleseg train --model yolo.onnx ...}: fine-tunes a yolo-seg package (the package's architecture picks
 * this trainer; the Mask R-CNN trainer takes --spec). Exit codes: 0 done (or stopped by Ctrl-C with a checkpoint),
 * 1 done with skipped images, 2 could not train (bad package, data or settings; a non-finite loss), 3 the
 * {@code --min-ap50-change} floor was not met.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fine-tune a yolo-seg package (peopleseg import --precision fp32) on COCO-format data; writes "
                + "OUTPUT/model.onnx (same graph, fine-tuned weights), metrics.jsonl, train.jsonl, checkpoints/, "
                + "eval/STEP/ (with --val-annotations), report.html, report.json. Ctrl-C writes a checkpoint; "
                + "--resume continues exactly.")
public final class YoloTrainCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "start package: an fp32 yolo-seg .onnx")
    Path model;
    @Option(names = "--train-annotations", required = true, description = "COCO json (boxes only, or with masks)")
    Path annotations;
    @Option(names = "--train-images", required = true, description = "folder with the images the json names")
    Path images;
    @Option(names = "--train-ids", description = "only image ids with id %% M == R, written M:R (e.g. 4:0)")
    String ids;
    @Option(names = "--output", required = true, description = "run folder")
    Path output;
    @Option(names = "--epochs", defaultValue = "10", description = "default: ${DEFAULT-VALUE}; 0 with --deploy-model "
            + "only writes --model's weights into that package (change a trained package's input size)")
    int epochs;
    @Option(names = "--freeze", defaultValue = "none", description = "backbone, none or N (first N conv layers)")
    String freeze;
    @Option(names = "--optimizer", defaultValue = "auto", description = "auto (Ultralytics' rule), SGD or AdamW")
    String optimizer;
    @Option(names = "--lr0", defaultValue = "0.01") double lr0;
    @Option(names = "--lrf", defaultValue = "0.01") double lrf;
    @Option(names = "--momentum", defaultValue = "0.937") double momentum;
    @Option(names = "--weight-decay", defaultValue = "0.0005") double weightDecay;
    @Option(names = "--warmup-epochs", defaultValue = "3.0") double warmupEpochs;
    @Option(names = "--warmup-momentum", defaultValue = "0.8") double warmupMomentum;
    @Option(names = "--warmup-bias-lr", defaultValue = "0.1") double warmupBiasLr;
    @Option(names = "--nbs", defaultValue = "64", description = "nominal batch: images per optimiser step")
    int nbs;
    @Option(names = "--fliplr", defaultValue = "0.5") double fliplr;
    @Option(names = "--scale", defaultValue = "0.5") double scale;
    @Option(names = "--translate", defaultValue = "0.1") double translate;
    @Option(names = "--hsv-h", defaultValue = "0.015") double hsvH;
    @Option(names = "--hsv-s", defaultValue = "0.7") double hsvS;
    @Option(names = "--hsv-v", defaultValue = "0.4") double hsvV;
    @Option(names = "--mosaic", defaultValue = "0", description = "share of samples built as Ultralytics' 4-image "
            + "mosaic (0..1; default ${DEFAULT-VALUE}: a fixed camera never shows such scenes)")
    double mosaic;
    @Option(names = "--crop-from", paramLabel = "WxH", description = "train at the deploy scale: each sample is a "
            + "window of --model's input size cut at random from the image letterboxed to WxH (e.g. the "
            + "--deploy-model's 1600x928), scale/translate jitter in that frame; off by default")
    String cropFrom;
    @Option(names = "--seed", defaultValue = "0") long seed;
    @Option(names = "--resume", description = "continue from the newest OUTPUT/checkpoints/step-N.ckpt") boolean resume;
    @Option(names = "--deploy-model", description = "write the trained weights into this package instead of --model:"
            + " the same source imported at another input size (train small, deploy large)")
    Path deploy;
    @Option(names = "--time-limit", defaultValue = "0", description = "stop after this many seconds and build the "
            + "package from the weights so far (0 = no limit)")
    double timeLimit;
    @Option(names = "--max-images", defaultValue = "0", description = "stop after this many training images (all "
            + "epochs together) and build the package (0 = no limit; reproducible, unlike --time-limit)")
    long maxImages;

    // Validation during training (the Mask R-CNN trainer's eval/STEP, report.html): start, every N epochs, end.
    @Option(names = "--val-annotations", description = "COCO json of a validation set: evaluated at the start, "
            + "every --eval-every epochs and at the end into OUTPUT/eval/STEP (box/mask AP, KPIs at best F1)")
    Path valAnnotations;
    @Option(names = "--val-images", description = "folder of the validation images (default: the json's folder)")
    Path valImages;
    @Option(names = "--val-ids", description = "validate only on image ids with id %% M == R, written M:R")
    String valIds;
    @Option(names = "--val-limit", defaultValue = "0", description = "validate on the first N images (0 = all)")
    int valLimit;
    @Option(names = "--eval-every", defaultValue = "0", description = "evaluate after every N epochs (0 = start and "
            + "end only)")
    int evalEvery;
    @Option(names = "--threads", defaultValue = "0", description = "CPU threads for training and validation (0: all "
            + "cores)")
    int threads;

    @Option(names = "--min-ap50-change", description = "a floor for CI: exit 3 when the fine-tuned package's box "
            + "AP50 on the validation set is below the start package's plus this (e.g. -0.02); needs --val-annotations")
    Double minAp50Change;

    /** Ctrl-C waits this long for the checkpoint to be written. */
    static final long INTERRUPT_GRACE_SECONDS = 600;

    public static void main(String[] args) {
        System.exit(new CommandLine(new YoloTrainCommand()).execute(args));
    }

    @Override
    public Integer call() {
        try {
            int[] train = ids("--train-ids", ids);
            int mod = train[0], rem = train[1];
            if (threads > 0) {
                System.setProperty("peopleseg.train.threads", Integer.toString(threads));
            }
            if (epochs < 0) {
                throw new IllegalArgumentException("--epochs must be 0 or more, not " + epochs);
            }
            if (epochs == 0 && deploy == null) {
                throw new IllegalArgumentException("--epochs 0 trains nothing: it only writes --model's weights into "
                        + "--deploy-model (another input size), and --deploy-model is not given");
            }
            for (Path f : new Path[] {model, annotations}) {
                if (!Files.isRegularFile(f)) {
                    throw new IllegalArgumentException(f + ": no such file");
                }
            }
            if (!Files.isDirectory(images)) {
                throw new IllegalArgumentException(images + ": no such folder");
            }
            Hyperparameters hp = new Hyperparameters(optimizer, lr0, lrf, momentum, weightDecay, warmupEpochs,
                    warmupMomentum, warmupBiasLr, nbs);
            Augmentation aug = new Augmentation(fliplr, scale, translate, hsvH, hsvS, hsvV, mosaic);
            if (cropFrom != null) {
                int[] wh = size("--crop-from", cropFrom);
                aug = aug.withCropFrom(wh[0], wh[1]);
            }
            YoloFineTune run = new YoloFineTune(new FineTuneSettings(model, annotations, images, mod, rem, output,
                    epochs, freeze, hp, aug, seed, resume, deploy), System.err)
                    .timeLimit(timeLimit).maxImages(maxImages);
            if (minAp50Change != null && valAnnotations == null) {
                throw new IllegalArgumentException("--min-ap50-change needs --val-annotations");
            }
            if (valAnnotations != null) {
                if (!Files.isRegularFile(valAnnotations)) {
                    throw new IllegalArgumentException(valAnnotations + ": no such file");
                }
                int[] v = ids("--val-ids", valIds);
                Path dir = valImages != null ? valImages : valAnnotations.toAbsolutePath().getParent();
                run.validate(new YoloValidation.Settings(valAnnotations, dir,
                        new org.peopleseg.train.data.ImageSelection(v[0], v[1], Math.max(0, valLimit)),
                        Math.max(0, evalEvery), threads > 0 ? threads : Runtime.getRuntime().availableProcessors()));
            }
            FineTuneResult r;
            try (StopSignal stop = StopSignal.install(line -> {
                System.err.println(line);
                System.err.flush();
            }, INTERRUPT_GRACE_SECONDS)) {
                r = run.stopWhen(stop).run();
            }
            if (r.model() == null) {
                System.out.println(output + ": stopped; the checkpoint in " + output.resolve("checkpoints")
                        + " continues with --resume; report " + output.resolve("report.html"));
                return 0;
            }
            if (r.epochs().isEmpty()) {
                System.out.println(r.model() + ": the weights of " + model + " in the graph of " + deploy
                        + " (--epochs 0: nothing trained)");
            } else {
                FineTuneResult.EpochMetrics last = r.epochs().get(r.epochs().size() - 1);
                System.out.printf(Locale.ROOT, "%s: fine-tuned %d epochs on %d images (%s), final loss %.4f, "
                        + "%.2f s/image%n", r.model(), r.epochs().size(), r.images(), r.optimizer(), last.total(),
                        last.secondsPerImage());
            }
            System.out.println("report: " + output.resolve("report.html"));
            if (minAp50Change != null) {
                double[] ap = ValidationFloor.startAndEnd(output, "bbox_AP50");
                System.out.printf(Locale.ROOT, "validation box AP50: start %.4f, fine-tuned %.4f (floor %.4f)%n",
                        ap[0], ap[1], ap[0] + minAp50Change);
                if (!(ap[1] >= ap[0] + minAp50Change)) {
                    System.err.printf(Locale.ROOT, "peopleseg train: %s: the fine-tuned box AP50 %.4f is below the "
                            + "start package's %.4f %+.4f (--min-ap50-change)%n", output, ap[1], ap[0], minAp50Change);
                    return 3;
                }
            }
            return r.skipped() > 0 ? 1 : 0;
        } catch (IllegalArgumentException | IllegalStateException | java.io.IOException e) {
            System.err.println("peopleseg train: " + e.getMessage());
            return 2;
        }
    }

    /** "1600x928" to {1600, 928}. */
    static int[] size(String option, String value) {
        String[] p = value.toLowerCase(Locale.ROOT).split("x");
        try {
            int w = Integer.parseInt(p[0].trim()), h = Integer.parseInt(p[1].trim());
            if (p.length != 2 || w <= 0 || h <= 0) {
                throw new NumberFormatException();
            }
            return new int[] {w, h};
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + " must be WxH with positive sides, e.g. 1600x928; got "
                    + value);
        }
    }

    /** "4:0" to {mod, rem}; null for every image. */
    static int[] ids(String option, String value) {
        if (value == null) {
            return new int[] {0, 0};
        }
        String[] p = value.split(":");
        try {
            int mod = Integer.parseInt(p[0].trim()), rem = Integer.parseInt(p[1].trim());
            if (p.length != 2 || mod <= 0 || rem < 0 || rem >= mod) {
                throw new NumberFormatException();
            }
            return new int[] {mod, rem};
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + " must be M:R with 0 <= R < M, e.g. 4:0; got " + value);
        }
    }
}
