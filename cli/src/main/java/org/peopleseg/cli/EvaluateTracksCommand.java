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
import org.peopleseg.core.eval.mot.MotReader;
import org.peopleseg.core.eval.mot.MotSequence;
import org.peopleseg.core.eval.mot.TrackingEvaluator;
import org.peopleseg.core.eval.mot.TrackingMetrics;
import org.peopleseg.core.eval.mot.TrackingReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code peopleseg evaluate-tracks}: multi-object tracking quality of MOTChallenge-format tracker output against
 * MOTChallenge ground truth — CLEAR-MOT, IDF1 and per-frame detection precision/recall — so a tracker's numbers can
 * be compared with published ones.
 */
@Command(name = "evaluate-tracks",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
                "Evaluate multi-object tracking: MOTA, MOTP, IDF1, ID switches and detection precision/recall.",
                "",
                "Compares tracker output with ground truth, both in the MOTChallenge text format "
                        + "(frame,id,x,y,w,h,conf,... one box per line; commas or spaces). Ground-truth rows whose "
                        + "7th column is 0 are not evaluated; in tracker output that column is the score and every "
                        + "row counts.",
                "Per frame a box pair matches when IoU >= --iou. CLEAR-MOT (Bernardin & Stiefelhagen 2008, as "
                        + "py-motmetrics and the MOTChallenge devkit compute it): MOTA = 1 - (FN + FP + IDSW) / GT, "
                        + "MOTP = mean IoU of the matches (py-motmetrics prints 1 - this), mostly tracked / "
                        + "partially / mostly lost (>= 80%%, 20-80%%, < 20%% of a person's frames), fragmentations. "
                        + "IDF1, IDP, IDR (Ristani et al. 2016) from one global matching of trajectories. "
                        + "Det P / Det R: per-frame precision and recall ignoring ids.",
                "Several sequences: repeat --gt and --tracks in the same order; an OVERALL row sums them.",
                "For CI: --min-mota / --min-idf1 fail the command (exit code 3) when the overall value is lower."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "2:usage error, or a file is missing or malformed (named with its line)",
                "3:a --min-mota / --min-idf1 floor was not met"})
final class EvaluateTracksCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-g", "--gt"}, required = true, paramLabel = "GT.txt",
            description = "Ground truth (MOTChallenge gt.txt). Repeat for several sequences.")
    List<Path> groundTruths;

    @Option(names = {"-t", "--tracks"}, required = true, paramLabel = "TRACKS.txt",
            description = "Tracker output for the --gt of the same position. Repeat for several sequences.")
    List<Path> tracks;

    @Option(names = "--iou", defaultValue = "0.5", paramLabel = "IOU",
            description = "A box pair matches when IoU >= this (default: ${DEFAULT-VALUE}, as MOTChallenge).")
    double iou;

    @Option(names = {"-o", "--output"}, paramLabel = "metrics.json",
            description = "Also write every number as JSON (schema peopleseg.tracking/1: per sequence and overall); "
                    + "replaced atomically.")
    Path output;

    @Option(names = "--min-mota", paramLabel = "MOTA",
            description = "Exit with code 3 when the overall MOTA is below this (a fraction, e.g. 0.85).")
    Double minMota;

    @Option(names = "--min-idf1", paramLabel = "IDF1",
            description = "Exit with code 3 when the overall IDF1 is below this (a fraction, e.g. 0.90).")
    Double minIdf1;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkOptions();
        List<TrackingReport.Sequence> sequences = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < groundTruths.size(); i++) {
            Path gtFile = groundTruths.get(i);
            Path trackFile = tracks.get(i);
            MotSequence gt = MotReader.readGroundTruth(gtFile);
            MotSequence hyp = MotReader.readHypotheses(trackFile);
            warnAboutFrames(err, gt, hyp);
            String name = uniqueName(sequenceName(gtFile), names);
            sequences.add(new TrackingReport.Sequence(name, gtFile.toString(), trackFile.toString(),
                    TrackingEvaluator.evaluate(gt, hyp, iou)));
        }
        TrackingReport report = new TrackingReport(sequences);
        out.printf(Locale.ROOT, "Tracking at IoU >= %s (MOTP: mean IoU of matches; MT/PT/ML: people; "
                + "FP, FN: boxes)%n", Double.toString(iou));
        out.print(report.table());
        if (output != null) {
            report.write(output);
            out.println("Wrote " + output);
        }
        out.flush();
        TrackingMetrics overall = report.overall();
        List<String> below = new ArrayList<>();
        if (minMota != null && !(overall.mota() >= minMota)) {
            below.add(String.format(Locale.ROOT, "MOTA %.4f < --min-mota %.4f", overall.mota(), minMota));
        }
        if (minIdf1 != null && !(overall.idf1() >= minIdf1)) {
            below.add(String.format(Locale.ROOT, "IDF1 %.4f < --min-idf1 %.4f", overall.idf1(), minIdf1));
        }
        below.forEach(m -> err.println(spec.qualifiedName() + ": tracking below the floor: " + m));
        err.flush();
        return below.isEmpty() ? Main.OK : EvaluateCommand.BELOW_FLOOR;
    }

    private void checkOptions() {
        for (Double floor : new Double[] {minMota, minIdf1}) {
            if (floor != null && !(floor <= 1)) { // MOTA can be negative, so only the top is bounded
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--min-mota and --min-idf1 are fractions at most 1, got " + floor);
            }
        }
        CommandLine cl = spec.commandLine();
        if (groundTruths.size() != tracks.size()) {
            throw new CommandLine.ParameterException(cl, "give one --tracks per --gt, in the same order (got "
                    + groundTruths.size() + " --gt and " + tracks.size() + " --tracks)");
        }
        if (!(iou > 0 && iou <= 1)) {
            throw new CommandLine.ParameterException(cl, "--iou must be in (0, 1], got " + iou);
        }
        if (output != null && Files.isDirectory(output)) {
            throw CliException.error(output + ": is a directory; --output names the JSON file to write");
        }
    }

    /** Off-by-one frame numbering is the usual way tracker output silently scores near zero: say so. */
    private static void warnAboutFrames(PrintWriter err, MotSequence gt, MotSequence hyp) {
        if (gt.frames().isEmpty() || hyp.frames().isEmpty()) {
            return;
        }
        Set<Integer> common = new HashSet<>(gt.frames());
        common.retainAll(hyp.frames());
        if (common.isEmpty()) {
            err.println("warning: " + hyp.source() + " (frames " + hyp.frames().first() + ".." + hyp.frames().last()
                    + ") and " + gt.source() + " (frames " + gt.frames().first() + ".." + gt.frames().last()
                    + ") have no frame in common");
        } else if (hyp.frames().first() == 0 && gt.frames().first() >= 1) {
            err.println("warning: " + hyp.source() + " starts at frame 0 but MOTChallenge frames count from 1 ("
                    + gt.source() + " starts at " + gt.frames().first() + "): off by one?");
        }
    }

    /** MOTChallenge keeps ground truth as SEQUENCE/gt/gt.txt: name it SEQUENCE; otherwise by its file name. */
    static String sequenceName(Path gtFile) {
        Path abs = gtFile.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("gt")
                && parent.getParent() != null && parent.getParent().getFileName() != null) {
            return parent.getParent().getFileName().toString();
        }
        String file = abs.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    private static String uniqueName(String name, Set<String> taken) {
        String unique = name;
        for (int k = 2; !taken.add(unique); k++) {
            unique = name + "#" + k;
        }
        return unique;
    }
}
