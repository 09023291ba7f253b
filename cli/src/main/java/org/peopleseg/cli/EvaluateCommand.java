package org.peopleseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.peopleseg.core.dataset.CocoAnnotation;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;
import org.peopleseg.core.dataset.CocoImage;
import org.peopleseg.core.dataset.CocoResultsReader;
import org.peopleseg.core.eval.IouType;
import org.peopleseg.core.eval.MetricsReport;
import org.peopleseg.core.report.DatasetInfo;
import org.peopleseg.core.report.EvaluationReport;
import org.peopleseg.core.report.ReportOptions;
import org.peopleseg.models.TestTimeAugmentation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code peopleseg evaluate}: COCO metrics and the model card's KPIs of saved detections or of a model run over the
 * ground-truth images, with {@code metrics.json}, {@code report.html} and optional accuracy floors for CI.
 */
@Command(name = "evaluate",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
                "Evaluate against COCO ground truth: COCO AP, the model card's KPIs and an HTML report.",
                "",
                "Evaluates people detection and segmentation against COCO ground truth: COCO AP/AR for boxes (bbox) "
                        + "and masks (segm), identical to pycocotools, and the PeopleSegNet model card's KPIs "
                        + "(precision, recall, accuracy = TP/(TP+FP+FN) at IoU > 0.5 and a score threshold), "
                        + "overall and per group, with a sweep over thresholds and the best-F1 threshold.",
                "",
                "Detections come from --results RESULTS.json (saved detections in the COCO results format, as "
                        + "'infer' writes them or any tool does: compressed RLE, polygons or boxes only) or from "
                        + "--model MODEL --images DIR (the model runs over every ground-truth image, found in DIR by "
                        + "its file_name).",
                "Writes into the output directory: metrics.json (every number; schema peopleseg.metrics/1, see "
                        + "the README), report.html (tables, charts and the worst images; one self-contained file "
                        + "that opens offline) and, with --model, results.json (the detections as COCO results, "
                        + "masks as compressed RLE).",
                "Masks (segm) are evaluated when the ground truth has masks and the detections do too; "
                        + "box-only ground truth gives bbox only.",
                "For CI: --limit evaluates the first N images only, and --min-ap / --min-ap50 / --min-recall make "
                        + "the command fail (exit code 3) when accuracy drops below a floor."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:some images could not be read (reported by name); the others were evaluated",
                "2:usage, ground truth, results, model or output error (e.g. results for image ids that are "
                        + "not in the ground truth)",
                "3:a --min-ap / --min-ap50 / --min-recall floor was not met"})
final class EvaluateCommand implements Callable<Integer> {
    /** Exit code when an accuracy floor is not met. */
    static final int BELOW_FLOOR = 3;

    @Spec
    CommandSpec spec;

    @Option(names = {"-a", "--annotations"}, required = true, paramLabel = "GT.json",
            description = "COCO ground truth (instances format: images, annotations, categories).")
    Path annotations;

    @Option(names = {"-r", "--results"}, paramLabel = "RESULTS.json",
            description = "Saved detections to evaluate (a COCO results list). Every image_id must be in the ground "
                    + "truth.")
    Path results;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
            description = "A model package ('peopleseg build' / 'import') or a catalogue name such as "
                    + "yolo11n-seg (pulled when not cached; 'peopleseg models available'), run over the "
                    + "ground-truth images (needs --images).")
    Path model;

    @Option(names = {"-i", "--images"}, paramLabel = "DIR",
            description = "Folder of the ground-truth images, by file_name. With --model the images to run; with "
                    + "--results optional, for the pictures of the report's gallery.")
    Path images;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
            description = "Directory for metrics.json, report.html and results.json (created if needed; files of "
                    + "the same name are replaced).")
    Path output;

    @Option(names = {"-t", "--threshold"}, defaultValue = "0.5", paramLabel = "SCORE",
            description = "Score threshold of the KPIs: detections scoring at least this count "
                    + "(default: ${DEFAULT-VALUE}). COCO AP always uses every detection.")
    double threshold;

    @Option(names = "--min-score", defaultValue = "0.05", paramLabel = "SCORE",
            description = "With --model: keep the model's detections scoring at least this, for COCO AP and the "
                    + "threshold sweep (default: ${DEFAULT-VALUE}; at most --threshold).")
    double minScore;

    @Option(names = "--group-by", paramLabel = "FIELD",
            description = "Also report the KPIs per value of this image field of the ground truth (e.g. "
                    + "camera_height; nested fields as meta.camera_height).")
    String groupBy;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "With --model: ONNX Runtime threads (default: 0 = one per physical core).")
    int threads;

    @Option(names = "--tta", defaultValue = "none", paramLabel = "AUG",
            description = "With --model: test-time augmentation, none or flip (yolo-seg only: also runs the "
                    + "mirrored image and fuses both views' detections by weighted boxes fusion; twice the "
                    + "inference time). Default: ${DEFAULT-VALUE}.")
    TestTimeAugmentation tta;

    @Option(names = "--limit", paramLabel = "N",
            description = "Evaluate on the first N images of the ground truth only (in file order), e.g. to size a "
                    + "CI run. The ground truth is cut to those images, so objects of images never run do not "
                    + "count as misses.")
    Integer limit;

    @Option(names = "--no-report", description = "Do not write report.html (metrics.json only).")
    boolean noReport;

    @Option(names = "--gallery", defaultValue = "12", paramLabel = "N",
            description = "Worst images shown in report.html (default: ${DEFAULT-VALUE}; 0: none).")
    int gallery;

    @Option(names = "--min-ap", paramLabel = "AP",
            description = "Fail with exit code 3 if COCO AP@[.50:.95] is below this (0..1).")
    Double minAp;

    @Option(names = "--min-ap50", paramLabel = "AP",
            description = "Fail with exit code 3 if COCO AP@.50 is below this (0..1).")
    Double minAp50;

    @Option(names = "--min-recall", paramLabel = "RECALL",
            description = "Fail with exit code 3 if the KPI recall at --threshold is below this (0..1).")
    Double minRecall;

    @Option(names = "--floor-type", paramLabel = "TYPE",
            description = "What the floors check: bbox or segm (default: segm when masks are evaluated, "
                    + "else bbox).")
    IouType floorType;

    @Option(names = "--model-description", paramLabel = "TEXT",
            description = "With --results: the model that made the detections, shown in the report.")
    String modelDescription;

    @Option(names = "--untrained",
            description = "With --results: the detections come from untrained weights; the report then says its "
                    + "numbers are not the product's accuracy. (With --model this is read from the package.)")
    boolean untrained;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkOptions();
        model = ModelCatalogAccess.resolveModel(model, err);
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw CliException.error(output + ": exists and is not a directory");
        }

        long t0 = System.nanoTime();
        CocoDataset fullGt = CocoDataset.read(annotations);
        CocoDataset gt = limit == null ? fullGt : restrict(fullGt, fullGt.images().subList(0,
                Math.min(limit, fullGt.images().size())));
        if (gt.images().isEmpty()) {
            throw CliException.error(annotations + ": the ground truth has no images");
        }
        List<String> notes = new ArrayList<>();
        if (limit != null && limit < fullGt.images().size()) {
            notes.add("--limit " + limit + ": evaluated on the first " + gt.images().size() + " of "
                    + fullGt.images().size() + " images of the ground truth.");
        }

        List<CocoDetection> detections;
        List<String> failures = List.of();
        String description;
        boolean untrainedModel;
        String resultsName;
        String runLine = null;
        if (results != null) {
            detections = CocoResultsReader.read(results, fullGt);
            if (gt != fullGt) {
                Set<Long> ids = imageIds(gt.images());
                detections = detections.stream().filter(d -> ids.contains(d.imageId())).toList();
            }
            description = modelDescription == null ? "" : modelDescription;
            untrainedModel = untrained;
            resultsName = results.toString();
        } else {
            EvaluateModelRun.Outcome run = EvaluateModelRun.run(model, threads, tta, minScore, threshold, gt, images,
                    output.resolve("results.json"), err);
            failures = run.failures();
            if (run.processed().isEmpty()) {
                throw CliException.error("none of the " + gt.images().size() + " images could be processed"
                        + (failures.isEmpty() ? "" : "; the first: " + failures.get(0)));
            }
            if (run.processed().size() < gt.images().size()) {
                gt = restrict(gt, run.processed());
                notes.add((run.interrupted() ? "Interrupted: " : "") + (gt.images().size()) + " images evaluated; "
                        + (failures.size() + " failed") + (run.interrupted() ? ", the rest were not run" : "")
                        + ". Only the images the model ran on are evaluated.");
            }
            failures.stream().limit(20).forEach(f -> notes.add("FAILED " + f));
            if (failures.size() > 20) {
                notes.add("... and " + (failures.size() - 20) + " more failures (listed by the command)");
            }
            detections = run.detections();
            description = run.description();
            untrainedModel = run.untrained();
            resultsName = "model run over " + images + " (" + output.resolve("results.json") + ")";
            runLine = String.format(Locale.ROOT, "Model: %d image%s in %.1f s (%.2f images/s), %d failed%s",
                    run.processed().size(), run.processed().size() == 1 ? "" : "s", run.seconds(),
                    run.seconds() > 0 ? run.processed().size() / run.seconds() : 0, failures.size(),
                    run.interrupted() ? ", interrupted" : "");
        }
        if (groupBy != null && gt.images().stream().noneMatch(im -> im.field(groupBy).isPresent())) {
            err.println("warning: no image of " + annotations + " has the field '" + groupBy
                    + "'; every image is in the group (missing)");
        }
        long t1 = System.nanoTime();
        MetricsReport metrics = MetricsReport.compute(gt, detections, threshold, groupBy);
        long t2 = System.nanoTime();
        Path metricsFile = output.resolve("metrics.json");
        metrics.write(metricsFile);
        Path reportFile = null;
        if (!noReport) {
            ReportOptions options = new ReportOptions()
                    .title("peopleseg evaluation: " + annotations.getFileName())
                    .modelDescription(description).untrained(untrainedModel)
                    .groundTruthName(annotations.toString()).resultsName(resultsName)
                    .imageDir(images).gallerySize(gallery).datasetInfo(DatasetInfo.read(annotations));
            notes.forEach(options::note);
            reportFile = EvaluationReport.write(output, metrics, gt, detections, options);
        }
        long t3 = System.nanoTime();

        EvaluateSummary summary = new EvaluateSummary(metrics, detections);
        if (runLine != null) {
            out.println(runLine);
        }
        summary.print(out, untrainedModel, description);
        if (!failures.isEmpty()) {
            out.println("Failed (" + failures.size() + "):");
            failures.forEach(f -> out.println("  " + f));
        }
        out.printf(Locale.ROOT, "Took %s: %s %s, metrics %s%s%n", Units.seconds(t3 - t0),
                results != null ? "reading" : "reading and model run", Units.seconds(t1 - t0),
                Units.seconds(t2 - t1), reportFile == null ? "" : ", report " + Units.seconds(t3 - t2));
        out.println("Wrote " + metricsFile + (reportFile == null ? "" : ", " + reportFile)
                + (model != null ? ", " + output.resolve("results.json") : ""));
        out.flush();

        IouType type = floorType != null ? floorType
                : metrics.section(IouType.SEGM).isPresent() ? IouType.SEGM : IouType.BBOX;
        List<String> belowFloor = summary.checkFloors(type, minAp, minAp50, minRecall);
        if (!belowFloor.isEmpty()) {
            String name = spec.qualifiedName();
            belowFloor.forEach(m -> err.println(name + ": accuracy below the floor: " + m));
            err.flush();
            return BELOW_FLOOR;
        }
        return failures.isEmpty() ? Main.OK : Main.INPUTS_FAILED;
    }

    private void checkOptions() {
        CommandLine cl = spec.commandLine();
        if ((results == null) == (model == null)) {
            throw new CommandLine.ParameterException(cl, results == null
                    ? "give either --results RESULTS.json (saved detections) or --model MODEL --images DIR"
                    : "--results and --model exclude each other: evaluate saved detections or run a model");
        }
        if (model != null && images == null) {
            throw new CommandLine.ParameterException(cl, "--model needs --images DIR, the folder of the "
                    + "ground-truth images");
        }
        if (model == null && tta != TestTimeAugmentation.NONE) {
            throw new CommandLine.ParameterException(cl, "--tta is for --model: saved --results are evaluated as "
                    + "they are");
        }
        if (model != null && (modelDescription != null || untrained)) {
            throw new CommandLine.ParameterException(cl, "--model-description and --untrained are for --results; "
                    + "with --model they are read from the model package");
        }
        InferCommand.checkRanges(cl, threshold, threads);
        if (!(minScore >= 0 && minScore <= threshold)) {
            throw new CommandLine.ParameterException(cl, "--min-score must be between 0 and --threshold ("
                    + threshold + "), got " + minScore);
        }
        if (limit != null && limit < 1) {
            throw new CommandLine.ParameterException(cl, "--limit must be 1 or more, got " + limit);
        }
        if (gallery < 0) {
            throw new CommandLine.ParameterException(cl, "--gallery must be 0 or more, got " + gallery);
        }
        checkFloor(cl, "--min-ap", minAp);
        checkFloor(cl, "--min-ap50", minAp50);
        checkFloor(cl, "--min-recall", minRecall);
        if (images != null && !Files.isDirectory(images)) {
            throw CliException.error(images + ": " + (Files.exists(images) ? "not a directory"
                    : "no such directory"));
        }
    }

    private static void checkFloor(CommandLine cl, String option, Double v) {
        if (v != null && !(v >= 0 && v <= 1)) {
            throw new CommandLine.ParameterException(cl, option + " must be between 0 and 1, got " + v);
        }
    }

    private static Set<Long> imageIds(List<CocoImage> images) {
        Set<Long> ids = new HashSet<>();
        images.forEach(im -> ids.add(im.id()));
        return ids;
    }

    /** The ground truth cut to some of its images (in its own order) and their annotations. */
    static CocoDataset restrict(CocoDataset gt, List<CocoImage> keep) throws IOException {
        Set<Long> ids = imageIds(keep);
        List<CocoImage> imgs = gt.images().stream().filter(im -> ids.contains(im.id())).toList();
        List<CocoAnnotation> anns = gt.annotations().stream().filter(a -> ids.contains(a.imageId())).toList();
        return CocoDataset.of(gt.source(), imgs, anns, gt.categories());
    }
}
