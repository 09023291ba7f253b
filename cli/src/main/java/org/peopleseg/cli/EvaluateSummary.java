package org.peopleseg.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.peopleseg.core.dataset.CocoDetection;
import org.peopleseg.core.eval.IouType;
import org.peopleseg.core.eval.Kpi;
import org.peopleseg.core.eval.MetricsReport;

/** What {@code peopleseg evaluate} prints, and its accuracy floors. */
final class EvaluateSummary {
    private final MetricsReport metrics;
    private final List<CocoDetection> detections;

    EvaluateSummary(MetricsReport metrics, List<CocoDetection> detections) {
        this.metrics = metrics;
        this.detections = detections;
    }

    /**
     * <pre>
     * Evaluated 781 images, 1262 detections (1040 with score >= 0.50)
     * COCO         AP   AP50   AP75  AR@100
     *   bbox    0.642  0.837  0.767   0.674
     *   segm    0.626  0.818  0.682   0.662
     * KPIs at score >= 0.50, IoU > 0.5:
     *              TP     FP     FN  precision  recall      F1  accuracy
     *   bbox      849     84    158      91.0%   84.3%   87.5%     77.8%
     * Best F1: bbox 88.1% at score >= 0.4123; segm 86.0% at score >= 0.4123
     * </pre>
     */
    void print(PrintWriter out, boolean untrained, String modelDescription) {
        if (untrained) {
            out.println("WARNING: UNTRAINED model" + (modelDescription.isEmpty() ? "" : " (" + modelDescription + ")")
                    + ": these numbers are NOT the product's accuracy.");
        }
        double t = metrics.threshold();
        long kept = detections.stream().filter(d -> d.score() >= t).count();
        out.printf(Locale.ROOT, "Evaluated %d image%s, %d detection%s (%d with score >= %.2f)%n", metrics.images(),
                metrics.images() == 1 ? "" : "s", detections.size(), detections.size() == 1 ? "" : "s", kept, t);
        out.println("COCO         AP   AP50   AP75  AR@100");
        for (IouType type : types()) {
            double[] s = metrics.section(type).orElseThrow().coco().stats();
            out.printf(Locale.ROOT, "  %-6s %7s %6s %6s %7s%n", type.cocoName(), num(s[0]), num(s[1]), num(s[2]),
                    num(s[8]));
        }
        out.printf(Locale.ROOT, "KPIs at score >= %.2f, IoU > 0.5:%n", t);
        out.println("              TP     FP     FN  precision  recall      F1  accuracy");
        for (IouType type : types()) {
            Kpi k = metrics.section(type).orElseThrow().kpi();
            out.printf(Locale.ROOT, "  %-6s %6d %6d %6d %10s %7s %7s %9s%n", type.cocoName(), k.tp(), k.fp(), k.fn(),
                    pct(k.precision()), pct(k.recall()), pct(k.f1()), pct(k.accuracy()));
        }
        List<String> best = new ArrayList<>();
        for (IouType type : types()) {
            metrics.section(type).orElseThrow().bestF1().ifPresent(k -> best.add(String.format(Locale.ROOT,
                    "%s %s at score >= %.4f", type.cocoName(), pct(k.f1()), k.threshold())));
        }
        if (!best.isEmpty()) {
            out.println("Best F1: " + String.join("; ", best));
        }
        if (metrics.groupBy() != null) {
            IouType type = types().get(types().size() - 1);
            out.printf(Locale.ROOT, "Per %s (%s):%n", metrics.groupBy(), type.cocoName());
            int width = metrics.groups().keySet().stream().mapToInt(String::length).max().orElse(0);
            for (Map.Entry<String, Map<IouType, Kpi>> g : metrics.groups().entrySet()) {
                Kpi k = g.getValue().get(type);
                out.printf(Locale.ROOT, "  %-" + Math.max(1, width) + "s  TP %5d  FP %5d  FN %5d  precision %6s  "
                        + "recall %6s  accuracy %6s%n", g.getKey(), k.tp(), k.fp(), k.fn(), pct(k.precision()),
                        pct(k.recall()), pct(k.accuracy()));
            }
        }
    }

    /**
     * The floors not met, one message each; a value that is undefined (no ground truth) fails its floor, since it
     * cannot be shown to reach it.
     */
    List<String> checkFloors(IouType type, Double minAp, Double minAp50, Double minRecall) {
        List<String> failed = new ArrayList<>();
        if (minAp == null && minAp50 == null && minRecall == null) {
            return failed;
        }
        MetricsReport.Section s = metrics.section(type).orElseThrow(() -> new CliException(Main.ERROR,
                "--floor-type " + type.cocoName() + ": masks were not evaluated (the ground truth or the "
                        + "detections have none)"));
        double[] stats = s.coco().stats();
        check(failed, type.cocoName() + " AP@[.50:.95]", stats[0], minAp, "--min-ap");
        check(failed, type.cocoName() + " AP@.50", stats[1], minAp50, "--min-ap50");
        check(failed, type.cocoName() + " recall at score >= " + String.format(Locale.ROOT, "%.2f",
                metrics.threshold()), s.kpi().recall(), minRecall, "--min-recall");
        return failed;
    }

    private static void check(List<String> failed, String what, double value, Double floor, String option) {
        if (floor == null) {
            return;
        }
        if (Double.isNaN(value) || value < 0) {
            failed.add(String.format(Locale.ROOT, "%s is undefined (no ground truth), %s %.4f cannot be met", what,
                    option, floor));
        } else if (value < floor) {
            failed.add(String.format(Locale.ROOT, "%s = %.4f is below %s %.4f", what, value, option, floor));
        }
    }

    private List<IouType> types() {
        List<IouType> types = new ArrayList<>();
        for (IouType t : IouType.values()) {
            if (metrics.section(t).isPresent()) {
                types.add(t);
            }
        }
        return types;
    }

    private static String num(double v) {
        return Double.isNaN(v) || v < 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
