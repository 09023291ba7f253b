package org.peopleseg.core.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;
import org.peopleseg.core.dataset.CocoImage;
import org.peopleseg.core.eval.CocoEvalResult;
import org.peopleseg.core.eval.IouType;
import org.peopleseg.core.eval.Kpi;
import org.peopleseg.core.eval.KpiMatching;
import org.peopleseg.core.eval.MetricsReport;
import org.peopleseg.core.io.AtomicFiles;
import org.peopleseg.core.render.ImageWriter;

/**
 * {@code report.html}: the evaluation as a page people can read, in one self-contained file that opens offline
 * (CSS inline, charts as PNG and pictures as JPEG {@code data:} URIs, nothing fetched).
 *
 * <p>Sections: a banner when the model is untrained (its numbers are not the product's accuracy); the run (files,
 * model, counts, notes); the model card's KPIs at the chosen threshold and the best-F1 operating point, for boxes
 * and masks; the KPIs per group; the 12 COCO stats for bbox and segm; charts drawn with JFreeChart (COCO PR curves
 * at IoU 0.50 and 0.75, and precision / recall / F1 / accuracy against the confidence threshold); the sweep as a
 * table; a gallery of the worst images (most missed + false detections at the threshold) with ground truth and
 * predictions side by side and each picture's licence and source when the ground truth names them; and the
 * definitions of every number.
 *
 * <p>The page is also well-formed XML (every element closed, only XML entities).
 */
public final class EvaluationReport {
    /** The file name written into the output directory. */
    public static final String FILE_NAME = "report.html";

    private static final List<String> STAT_LABELS = List.of(
            "AP @ IoU 0.50:0.95", "AP @ IoU 0.50", "AP @ IoU 0.75", "AP small (area < 32\u00b2)",
            "AP medium (32\u00b2 to 96\u00b2)", "AP large (area > 96\u00b2)", "AR, 1 detection per image",
            "AR, 10 detections per image", "AR, 100 detections per image", "AR small", "AR medium", "AR large");

    private EvaluationReport() {
    }

    /**
     * Writes {@code dir/report.html} atomically.
     *
     * @param metrics     computed from {@code groundTruth} and {@code detections}
     * @param detections  the very list given to {@link MetricsReport#compute} (the gallery reads each detection's
     *                    outcome by its position)
     * @return the file written
     */
    public static Path write(Path dir, MetricsReport metrics, CocoDataset groundTruth, List<CocoDetection> detections,
            ReportOptions options) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        AtomicFiles.writeString(file, render(metrics, groundTruth, detections, options));
        return file;
    }

    /** The page as text. */
    public static String render(MetricsReport metrics, CocoDataset groundTruth, List<CocoDetection> detections,
            ReportOptions options) throws IOException {
        List<IouType> types = new ArrayList<>();
        for (IouType t : IouType.values()) {
            if (metrics.section(t).isPresent()) {
                types.add(t);
            }
        }
        Html h = new Html();
        h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .raw("<meta name=\"generator\" content=\"peopleseg evaluate\"/>\n")
                .el("title", null, options.title()).nl()
                .raw("<style>").raw(CSS).raw("</style>\n</head>\n<body>\n<main>\n");
        h.open("header", null).el("h1", null, options.title())
                .el("p", "sub", "Generated " + ZonedDateTime.now().format(DateTimeFormatter.ofPattern(
                        "yyyy-MM-dd HH:mm z", Locale.ROOT)) + " by peopleseg evaluate \u00b7 metrics schema "
                        + MetricsReport.SCHEMA)
                .close("header").nl();
        if (options.untrained()) {
            untrainedBanner(h, options);
        }
        glance(h, metrics, types);
        runSection(h, metrics, groundTruth, detections, options, types);
        kpiSection(h, metrics, types);
        if (metrics.groupBy() != null) {
            groupSection(h, metrics, groundTruth, types);
        }
        cocoSection(h, metrics, types);
        chartSection(h, metrics, types);
        sweepSection(h, metrics, types);
        gallerySection(h, metrics, groundTruth, detections, options, types);
        definitions(h);
        footer(h, options);
        h.raw("</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void untrainedBanner(Html h, ReportOptions options) {
        h.raw("<div class=\"banner\" id=\"untrained-banner\" role=\"alert\">")
                .el("strong", null, "Untrained model: these numbers are NOT the product's accuracy.")
                .raw(" ")
                .text("The model's weights are untrained (generated by a deterministic formula, not learnt), so "
                        + "its detections are meaningless and near-zero numbers are expected. This report only shows "
                        + "that the evaluation pipeline works end to end.");
        if (!options.modelDescription().isEmpty()) {
            h.raw("<br/>").el("span", "small", "Model: " + options.modelDescription());
        }
        h.raw("</div>\n");
    }

    /** The handful of numbers people look for first. */
    private static void glance(Html h, MetricsReport m, List<IouType> types) {
        h.raw("<section id=\"glance\" class=\"glance\">");
        for (IouType t : types) {
            MetricsReport.Section s = m.section(t).orElseThrow();
            tile(h, name(t) + " AP", Html.num(s.coco().stats()[0]), "COCO AP @ IoU 0.50:0.95");
            tile(h, name(t) + " AP50", Html.num(s.coco().stats()[1]), "COCO AP @ IoU 0.50");
        }
        MetricsReport.Section p = primary(m, types);
        String which = name(primaryType(types));
        tile(h, "precision", Html.pct(p.kpi().precision()), which + ", score \u2265 " + Html.thr(m.threshold()));
        tile(h, "recall", Html.pct(p.kpi().recall()), which + ", score \u2265 " + Html.thr(m.threshold()));
        tile(h, "accuracy", Html.pct(p.kpi().accuracy()), which + ", TP / (TP + FP + FN)");
        h.raw("</section>\n");
    }

    private static void tile(Html h, String label, String value, String note) {
        h.open("div", "tile").el("div", "tile-label", label).el("div", "tile-value", value)
                .el("div", "tile-note", note).close("div");
    }

    private static void runSection(Html h, MetricsReport m, CocoDataset gt, List<CocoDetection> detections,
            ReportOptions o, List<IouType> types) {
        h.raw("<section id=\"run\">").el("h2", null, "Run");
        h.raw("<table class=\"kv\"><tbody>");
        kv(h, "Ground truth", o.groundTruthName().isEmpty() ? gt.source() : o.groundTruthName());
        if (!o.resultsName().isEmpty()) {
            kv(h, "Detections", o.resultsName());
        }
        if (!o.modelDescription().isEmpty()) {
            kv(h, "Model", o.modelDescription());
        }
        long objects = primary(m, types).matching().objectCount();
        long crowd = gt.annotations().stream().filter(a -> a.crowd()).count();
        kv(h, "Images", m.images() + " (" + gt.images().stream().filter(i -> !gt.annotationsOf(i.id()).isEmpty())
                .count() + " with annotations)");
        kv(h, "Objects", objects + " (crowd regions, which are ignored: " + crowd + ")");
        kv(h, "Detections", detections.size() + " (" + detections.stream().filter(d -> d.score() >= m.threshold())
                .count() + " with score \u2265 " + Html.thr(m.threshold()) + ")");
        kv(h, "Evaluated", String.join(" and ", types.stream().map(EvaluationReport::longName).toList())
                + (types.contains(IouType.SEGM) ? "" : gt.hasMasks()
                        ? " (the detections have no masks, so masks were not evaluated)"
                        : " (the ground truth has no masks, so masks were not evaluated)"));
        kv(h, "KPI rule", "score \u2265 " + Html.thr(m.threshold()) + ", matched one-to-one at IoU > "
                + primary(m, types).kpi().iou() + " in score order; crowd regions ignored");
        if (m.groupBy() != null) {
            kv(h, "Grouped by", m.groupBy());
        }
        h.raw("</tbody></table>");
        List<String> notes = o.notes();
        if (!notes.isEmpty()) {
            h.raw("<ul class=\"notes\">");
            notes.forEach(n -> h.el("li", null, n));
            h.raw("</ul>");
        }
        h.raw("</section>\n");
    }

    private static void kv(Html h, String key, String value) {
        h.raw("<tr>").el("th", null, key).el("td", null, value).raw("</tr>");
    }

    private static void kpiSection(Html h, MetricsReport m, List<IouType> types) {
        h.raw("<section id=\"kpi\">").el("h2", null, "Model card KPIs at threshold " + Html.thr(m.threshold()));
        h.el("p", "explain", "Detections with score \u2265 " + Html.thr(m.threshold())
                + " are matched one-to-one to ground truth at IoU > 0.5, highest score first. "
                + "Accuracy = TP / (TP + FP + FN), as in the PeopleSegNet model card.");
        kpiTableHead(h, "");
        for (IouType t : types) {
            kpiRow(h, longName(t), m.section(t).orElseThrow().kpi(), false);
        }
        h.raw("</tbody></table>");
        h.el("h3", null, "Best-F1 operating point");
        h.el("p", "explain", "The threshold with the highest F1, searched over every detection score.");
        kpiTableHead(h, "threshold");
        for (IouType t : types) {
            Optional<Kpi> best = m.section(t).orElseThrow().bestF1();
            if (best.isPresent()) {
                kpiRow(h, longName(t), best.get(), true);
            } else {
                h.raw("<tr>").el("th", null, longName(t)).raw("<td colspan=\"9\">no detections</td></tr>");
            }
        }
        h.raw("</tbody></table></section>\n");
    }

    private static void kpiTableHead(Html h, String extra) {
        h.raw("<table class=\"num\"><thead><tr><th></th>");
        if (!extra.isEmpty()) {
            h.el("th", null, extra);
        }
        for (String c : List.of("TP", "FP", "FN", "ignored", "precision", "recall", "F1", "accuracy")) {
            h.el("th", null, c);
        }
        h.raw("</tr></thead><tbody>");
    }

    private static void kpiRow(Html h, String name, Kpi k, boolean withThreshold) {
        h.raw("<tr>").el("th", null, name);
        if (withThreshold) {
            h.el("td", null, String.format(Locale.ROOT, "%.4f", k.threshold()));
        }
        h.el("td", null, Long.toString(k.tp())).el("td", null, Long.toString(k.fp()))
                .el("td", null, Long.toString(k.fn())).el("td", null, Long.toString(k.ignored()))
                .el("td", null, Html.pct(k.precision())).el("td", null, Html.pct(k.recall()))
                .el("td", null, Html.pct(k.f1())).el("td", "strong", Html.pct(k.accuracy()))
                .raw("</tr>");
    }

    private static void groupSection(Html h, MetricsReport m, CocoDataset gt, List<IouType> types) {
        Map<String, Integer> images = new TreeMap<>();
        for (CocoImage im : gt.images()) {
            images.merge(im.field(m.groupBy()).orElse(KpiMatching.MISSING_GROUP), 1, Integer::sum);
        }
        h.raw("<section id=\"groups\">").el("h2", null, "KPIs per " + m.groupBy() + " at threshold "
                + Html.thr(m.threshold()));
        h.raw("<table class=\"num\"><thead><tr><th rowspan=\"2\">").text(m.groupBy())
                .raw("</th><th rowspan=\"2\">images</th><th rowspan=\"2\">objects</th>");
        for (IouType t : types) {
            h.raw("<th colspan=\"5\" class=\"group\">").text(longName(t)).raw("</th>");
        }
        h.raw("</tr><tr>");
        for (int i = 0; i < types.size(); i++) {
            for (String c : List.of("TP", "FP", "precision", "recall", "accuracy")) {
                h.el("th", null, c);
            }
        }
        h.raw("</tr></thead><tbody>");
        m.groups().forEach((group, kpis) -> {
            Kpi first = kpis.get(types.get(0));
            h.raw("<tr>").el("th", null, group).el("td", null, Integer.toString(images.getOrDefault(group, 0)))
                    .el("td", null, Long.toString(first.tp() + first.fn()));
            for (IouType t : types) {
                Kpi k = kpis.get(t);
                h.el("td", null, Long.toString(k.tp())).el("td", null, Long.toString(k.fp()))
                        .el("td", null, Html.pct(k.precision())).el("td", null, Html.pct(k.recall()))
                        .el("td", "strong", Html.pct(k.accuracy()));
            }
            h.raw("</tr>");
        });
        h.raw("</tbody></table></section>\n");
    }

    private static void cocoSection(Html h, MetricsReport m, List<IouType> types) {
        h.raw("<section id=\"coco\">").el("h2", null, "COCO metrics");
        h.el("p", "explain", "pycocotools' COCOeval.stats, all detections (up to 100 per image), areas as in COCO; "
                + "n/a where undefined (no ground truth in that size range).");
        h.raw("<table class=\"num\"><thead><tr><th></th>");
        for (IouType t : types) {
            h.el("th", null, longName(t));
        }
        h.raw("</tr></thead><tbody>");
        for (int i = 0; i < 12; i++) {
            h.raw(i == 0 || i == 1 || i == 8 ? "<tr class=\"headline\">" : "<tr>").raw("<th>").text(STAT_LABELS.get(i))
                    .raw(" <span class=\"code\">").text(CocoEvalResult.STAT_NAMES.get(i)).raw("</span></th>");
            for (IouType t : types) {
                h.el("td", null, Html.num(m.section(t).orElseThrow().coco().stats()[i]));
            }
            h.raw("</tr>");
        }
        h.raw("</tbody></table></section>\n");
    }

    private static void chartSection(Html h, MetricsReport m, List<IouType> types) throws IOException {
        h.raw("<section id=\"charts\">").el("h2", null, "Charts").raw("<div class=\"charts\">");
        for (IouType t : types) {
            MetricsReport.Section s = m.section(t).orElseThrow();
            CocoEvalResult c = s.coco();
            BufferedImage pr = ReportCharts.precisionRecall(longName(t) + ": precision / recall (COCO)",
                    c.params().recallThresholds(), c.precisionCurve(0.5), c.precisionCurve(0.75), c.stats()[1],
                    c.stats()[2]);
            figure(h, pr, "PR curve " + t.cocoName(), "COCO precision at 101 recall points, area all, "
                    + "100 detections per image.");
        }
        for (IouType t : types) {
            MetricsReport.Section s = m.section(t).orElseThrow();
            double best = s.bestF1().map(Kpi::threshold).orElse(Double.NaN);
            BufferedImage sw = ReportCharts.sweep(longName(t) + ": KPIs against the confidence threshold",
                    s.sweep(), m.threshold(), best);
            figure(h, sw, "threshold sweep " + t.cocoName(), "Matched at IoU > 0.5; dashed lines: the chosen "
                    + "threshold and the best-F1 threshold.");
        }
        h.raw("</div></section>\n");
    }

    private static void figure(Html h, BufferedImage img, String alt, String caption) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream(128 * 1024);
        ImageWriter.write(img, "png", png, ImageWriter.DEFAULT_JPEG_QUALITY);
        h.raw("<figure class=\"chart\"><img src=\"").raw(Html.dataUri("image/png", png.toByteArray()))
                .raw("\" alt=\"").text(alt).raw("\" width=\"").raw(Integer.toString(ReportCharts.WIDTH))
                .raw("\" height=\"").raw(Integer.toString(ReportCharts.HEIGHT)).raw("\"/>")
                .el("figcaption", null, caption).raw("</figure>");
    }

    private static void sweepSection(Html h, MetricsReport m, List<IouType> types) {
        h.raw("<section id=\"sweep\"><details><summary>Threshold sweep as a table</summary>");
        h.raw("<table class=\"num\"><thead><tr><th>threshold</th>");
        for (IouType t : types) {
            for (String c : List.of("precision", "recall", "F1", "accuracy")) {
                h.el("th", null, t.cocoName() + " " + c);
            }
        }
        h.raw("</tr></thead><tbody>");
        List<List<Kpi>> sweeps = types.stream().map(t -> m.section(t).orElseThrow().sweep()).toList();
        int n = sweeps.get(0).size();
        for (int i = 0; i < n; i += 5) {
            h.raw("<tr>").el("th", null, Html.thr(sweeps.get(0).get(i).threshold()));
            for (List<Kpi> sw : sweeps) {
                Kpi k = sw.get(i);
                h.el("td", null, Html.pct(k.precision())).el("td", null, Html.pct(k.recall()))
                        .el("td", null, Html.pct(k.f1())).el("td", null, Html.pct(k.accuracy()));
            }
            h.raw("</tr>");
        }
        h.raw("</tbody></table><p class=\"explain\">Every 0.01 step is in metrics.json (\"sweep\").</p>")
                .raw("</details></section>\n");
    }

    private static void gallerySection(Html h, MetricsReport m, CocoDataset gt, List<CocoDetection> detections,
            ReportOptions o, List<IouType> types) throws IOException {
        if (o.gallerySize() == 0) {
            return;
        }
        IouType type = primaryType(types);
        KpiMatching matching = m.section(type).orElseThrow().matching();
        List<ReportGallery.Item> items = ReportGallery.build(gt, detections, matching, m.threshold(), o.imageDir(),
                o.gallerySize(), o.thumbnailWidth());
        h.raw("<section id=\"gallery\">").el("h2", null, "Worst images");
        h.raw("<p class=\"explain\">").text("The " + (items.size() < o.gallerySize() ? items.size() + "" : "up to "
                + o.gallerySize()) + " images with the most errors (missed objects + false detections) at threshold "
                + Html.thr(m.threshold()) + ", judged on " + longName(type) + ". Left, the ground truth: ")
                .raw("<span class=\"sw found\"></span> found, <span class=\"sw missed\"></span> missed, ")
                .raw("<span class=\"sw crowd\"></span> crowd region (ignored). ")
                .text("Right, the detections with score \u2265 " + Html.thr(m.threshold())
                        + ", labelled TP (matched), FP (false detection) or ignored (inside a crowd region), "
                        + "with their score.").raw("</p>");
        if (items.isEmpty()) {
            h.el("p", null, "No image has an error at this threshold.");
        }
        for (ReportGallery.Item it : items) {
            CocoImage im = it.image();
            String size = "\" width=\"" + it.width() + "\" height=\"" + it.height() + "\"/>";
            h.raw("<figure class=\"pair\"><div class=\"imgs\">")
                    .raw("<img src=\"").raw(Html.dataUri("image/jpeg", it.groundTruthJpeg()))
                    .raw("\" alt=\"ground truth of ").text(im.fileName()).raw(size)
                    .raw("<img src=\"").raw(Html.dataUri("image/jpeg", it.predictionJpeg()))
                    .raw("\" alt=\"detections on ").text(im.fileName()).raw(size).raw("</div><figcaption>");
            h.raw("<span class=\"rank\">#").raw(Integer.toString(it.rank())).raw("</span> ")
                    .el("span", "code", im.fileName().isEmpty() ? "(no file name)" : im.fileName())
                    .text(" \u00b7 id " + im.id() + " \u00b7 " + im.width() + "\u00d7" + im.height() + " \u00b7 ")
                    .text(it.counts().objects() + " object" + (it.counts().objects() == 1 ? "" : "s") + ": ")
                    .text("TP " + it.counts().tp() + ", ").raw("<b class=\"fp\">FP " + it.counts().fp() + "</b>, ")
                    .raw("<b class=\"fn\">FN " + it.counts().fn() + "</b>")
                    .text(it.counts().ignored() > 0 ? ", ignored " + it.counts().ignored() : "");
            if (m.groupBy() != null) {
                h.text(" \u00b7 " + m.groupBy() + " = " + im.field(m.groupBy()).orElse(KpiMatching.MISSING_GROUP));
            }
            if (!it.problem().isEmpty()) {
                h.raw("<br/>").el("span", "small", "Picture: " + it.problem());
            }
            attribution(h, im, o.datasetInfo());
            h.raw("</figcaption></figure>\n");
        }
        h.raw("</section>\n");
    }

    private static void attribution(Html h, CocoImage im, DatasetInfo info) {
        Optional<DatasetInfo.Licence> licence = info.licenceOf(im);
        Optional<String> source = DatasetInfo.sourceUrlOf(im);
        if (licence.isEmpty() && source.isEmpty()) {
            return;
        }
        h.raw("<br/><span class=\"attribution\">");
        if (source.isPresent()) {
            h.text("Photo: ").link(source.get(), null);
        }
        if (licence.isPresent()) {
            h.text(source.isPresent() ? " \u00b7 Licence: " : "Licence: ");
            DatasetInfo.Licence l = licence.get();
            if (l.url().isEmpty()) {
                h.text(l.name());
            } else {
                h.link(l.url(), l.name().isEmpty() ? l.url() : l.name());
            }
        }
        h.raw("</span>");
    }

    private static void definitions(Html h) {
        h.raw("<section id=\"definitions\">").el("h2", null, "Definitions").raw("<dl>");
        def(h, "TP, FP, FN", "A detection (score \u2265 threshold) matched to a ground-truth object at IoU > 0.5 is a "
                + "true positive; one matched to nothing is a false positive, unless it lies in a crowd region "
                + "(iscrowd), where it is ignored. Objects left unmatched are false negatives. Matching is "
                + "one-to-one, highest score first.");
        def(h, "precision, recall, F1, accuracy", "TP / (TP + FP), TP / (TP + FN), 2TP / (2TP + FP + FN) and "
                + "TP / (TP + FP + FN). n/a when the denominator is zero.");
        def(h, "AP, AR", "COCO average precision and recall as pycocotools computes them: precision interpolated at "
                + "101 recall points, averaged over IoU thresholds 0.50 to 0.95 in steps of 0.05; size ranges by the "
                + "annotation's area; crowd regions matched but not counted.");
        def(h, "bbox, segm", "IoU of boxes, and IoU of masks. Results without masks are evaluated on boxes only.");
        h.raw("</dl></section>\n");
    }

    private static void def(Html h, String term, String text) {
        h.el("dt", null, term).el("dd", null, text);
    }

    private static void footer(Html h, ReportOptions o) {
        DatasetInfo info = o.datasetInfo();
        h.raw("<footer>");
        if (!info.description().isEmpty() || !info.url().isEmpty()) {
            h.text("Dataset: " + info.description() + (info.contributor().isEmpty() ? "" : ", " + info.contributor()));
            if (!info.url().isEmpty()) {
                h.text(" ").link(info.url(), null);
            }
            h.raw("<br/>");
        }
        if (!info.licences().isEmpty()) {
            h.text("Pictures are shown under the licence the ground-truth file gives for each of them (named under "
                    + "the picture, with its source).").raw("<br/>");
        }
        h.text("The numbers are in metrics.json (schema " + MetricsReport.SCHEMA + ").");
        h.raw("</footer>\n");
    }

    /** Masks when evaluated, else boxes: what the headline KPIs and the gallery use. */
    private static IouType primaryType(List<IouType> types) {
        return types.contains(IouType.SEGM) ? IouType.SEGM : IouType.BBOX;
    }

    private static MetricsReport.Section primary(MetricsReport m, List<IouType> types) {
        return m.section(primaryType(types)).orElseThrow();
    }

    private static String name(IouType t) {
        return t == IouType.SEGM ? "mask" : "box";
    }

    private static String longName(IouType t) {
        return t == IouType.SEGM ? "masks (segm)" : "boxes (bbox)";
    }

    private static final String CSS = """
            :root { --fg: #1d2330; --muted: #5b6475; --line: #dde1e8; --accent: #1f6feb; }
            * { box-sizing: border-box; }
            body { margin: 0; background: #f5f6f8; color: var(--fg);
              font: 14px/1.45 -apple-system, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif; }
            main { max-width: 1200px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
            header h1 { margin: 0 0 4px; font-size: 26px; }
            .sub, .explain, .small, figcaption, footer { color: var(--muted); }
            .small { font-size: 12px; }
            h2 { margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); font-size: 19px; }
            h3 { margin: 18px 0 6px; font-size: 15px; }
            .banner { margin: 16px 0; padding: 14px 18px; border: 2px solid #b42318; border-radius: 6px;
              background: #fef3f2; color: #7a271a; font-size: 15px; }
            .banner strong { display: block; font-size: 18px; color: #b42318; margin-bottom: 4px; }
            .glance { display: flex; flex-wrap: wrap; gap: 10px; margin: 18px 0 4px; }
            .tile { flex: 1 1 130px; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
            .tile-label { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
            .tile-value { font-size: 24px; font-weight: 600; }
            .tile-note { font-size: 11px; color: var(--muted); }
            table { border-collapse: collapse; margin: 6px 0 10px; }
            th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
            table.num td { text-align: right; font-variant-numeric: tabular-nums; }
            table.num thead th { text-align: right; font-size: 12px; color: var(--muted); }
            table.num thead th.group { text-align: center; color: var(--fg); }
            table.kv th { width: 130px; color: var(--muted); font-weight: normal; }
            td.strong { font-weight: 600; }
            tr.headline th, tr.headline td { font-weight: 600; }
            .code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; color: var(--muted); }
            .notes { color: #7a4b00; }
            .charts { display: flex; flex-wrap: wrap; gap: 16px; }
            figure { margin: 0; }
            figure.chart { flex: 0 1 560px; }
            figure.chart img { width: 100%; height: auto; border: 1px solid var(--line); }
            figcaption { font-size: 12px; margin-top: 4px; }
            figure.pair { margin: 0 0 22px; }
            .imgs { display: flex; gap: 6px; flex-wrap: wrap; }
            .imgs img { max-width: calc(50% - 3px); height: auto; background: #333; }
            .rank { font-weight: 700; color: var(--fg); }
            b.fp, b.fn { color: #b42318; }
            .sw { display: inline-block; width: 11px; height: 11px; border-radius: 2px; vertical-align: -1px; }
            .sw.found { background: #2ecc40; } .sw.missed { background: #ff3b30; } .sw.crowd { background: #b0b0b0; }
            .attribution { font-size: 12px; }
            .attribution a, footer a { color: var(--accent); word-break: break-all; }
            details summary { cursor: pointer; color: var(--accent); margin: 16px 0 6px; }
            dt { font-weight: 600; margin-top: 8px; } dd { margin: 2px 0 0 18px; color: var(--muted); }
            footer { margin-top: 32px; padding-top: 10px; border-top: 1px solid var(--line); font-size: 12px; }
            """;
}
