package org.peopleseg.train.yolo.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.peopleseg.train.yolo.data.Augmentation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code peopleseg train --model yolo.onnx ...}: fine-tunes a yolo-seg package (the package's architecture picks
 * this trainer; the Mask R-CNN trainer takes --spec). Exit codes: 0 done, 1 done with skipped images, 2 could not
 * train (bad package, data or settings; a non-finite loss).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fine-tune a yolo-seg package (peopleseg import --precision fp32) on COCO-format data; writes "
                + "OUTPUT/model.onnx (same graph, fine-tuned weights), metrics.jsonl, train.jsonl, last.ckpt, "
                + "report.json.")
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
    @Option(names = "--epochs", defaultValue = "10", description = "default: ${DEFAULT-VALUE}")
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
    @Option(names = "--seed", defaultValue = "0") long seed;
    @Option(names = "--resume", description = "continue from OUTPUT/last.ckpt") boolean resume;
    @Option(names = "--deploy-model", description = "write the trained weights into this package instead of --model:"
            + " the same source imported at another input size (train small, deploy large)")
    Path deploy;
    @Option(names = "--time-limit", defaultValue = "0", description = "stop after this many seconds and build the "
            + "package from the weights so far (0 = no limit)")
    double timeLimit;
    @Option(names = "--max-images", defaultValue = "0", description = "stop after this many training images (all "
            + "epochs together) and build the package (0 = no limit; reproducible, unlike --time-limit)")
    long maxImages;

    public static void main(String[] args) {
        System.exit(new CommandLine(new YoloTrainCommand()).execute(args));
    }

    @Override
    public Integer call() {
        try {
            int mod = 0, rem = 0;
            if (ids != null) {
                String[] p = ids.split(":");
                if (p.length != 2) {
                    throw new IllegalArgumentException("--train-ids must be M:R, e.g. 4:0, not " + ids);
                }
                mod = Integer.parseInt(p[0].trim());
                rem = Integer.parseInt(p[1].trim());
            }
            if (epochs < 1) {
                throw new IllegalArgumentException("--epochs must be at least 1");
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
            FineTuneResult r = new YoloFineTune(new FineTuneSettings(model, annotations, images, mod, rem, output,
                    epochs, freeze, hp, aug, seed, resume, deploy), System.err)
                    .timeLimit(timeLimit).maxImages(maxImages).run();
            FineTuneResult.EpochMetrics last = r.epochs().get(r.epochs().size() - 1);
            System.out.printf(Locale.ROOT, "%s: fine-tuned %d epochs on %d images (%s), final loss %.4f, %.2f s/image"
                    + "%n", r.model(), r.epochs().size(), r.images(), r.optimizer(), last.total(),
                    last.secondsPerImage());
            return r.skipped() > 0 ? 1 : 0;
        } catch (IllegalArgumentException | IllegalStateException | java.io.IOException e) {
            System.err.println("peopleseg train: " + e.getMessage());
            return 2;
        }
    }
}
