package org.peopleseg.core.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;

/**
 * Everything {@code peopleseg evaluate} reports, computed once, and its {@code metrics.json}.
 *
 * <h2>metrics.json, schema {@value #SCHEMA}</h2>
 * <pre>
 * {
 *   "schema": "peopleseg.metrics/1",
 *   "images": 781,                  ground-truth images evaluated
 *   "detections": 1262,             detections given
 *   "threshold": 0.5,               confidence threshold of "kpi" and "groups"
 *   "group_by": "camera_height",    image field of "groups", or null
 *   "bbox": {
 *     "stats": [12 numbers],        pycocotools COCOeval.stats, -1 where undefined
 *     "stat_names": [12 names],     "AP@[.50:.95]_all_100", "AP@.50_all_100", ... "AR@[.50:.95]_large_100"
 *     "pr_curve": {                 COCO precision at 101 recall points, area all, maxDets 100 (-1: undefined)
 *       "recall": [101], "precision_iou50": [101], "precision_iou75": [101] },
 *     "kpi": KPI,                   the model card's KPIs at "threshold"
 *     "sweep": [KPI, ...],          KPIs at thresholds 0.00, 0.01, ..., 1.00
 *     "best_f1": KPI or null        the exact best-F1 operating point over all detection scores
 *   },
 *   "segm": { same as "bbox" },     omitted when the ground truth has no masks (or no detection has one)
 *   "groups": { "10ft": {"bbox": KPI, "segm": KPI}, ... }   per value of "group_by"; {} without grouping
 * }
 * KPI = {"threshold", "iou", "tp", "fp", "fn", "ignored", "precision", "recall", "f1", "accuracy"}
 *       matches need IoU &gt; iou (0.5); accuracy = tp/(tp+fp+fn); a ratio with a zero denominator is null.
 * </pre>
 * Field names and meanings are stable; later versions may add fields but not change these.
 */
public final class MetricsReport {
    public static final String SCHEMA = "peopleseg.metrics/1";

    /** One iouType's results. */
    public record Section(CocoEvalResult coco, KpiMatching matching, Kpi kpi, List<Kpi> sweep, Optional<Kpi> bestF1) {
    }

    private final int images;
    private final int detections;
    private final double threshold;
    private final String groupBy;
    private final Map<IouType, Section> sections;
    private final Map<String, Map<IouType, Kpi>> groups;

    private MetricsReport(int images, int detections, double threshold, String groupBy,
            Map<IouType, Section> sections, Map<String, Map<IouType, Kpi>> groups) {
        this.images = images;
        this.detections = detections;
        this.threshold = threshold;
        this.groupBy = groupBy;
        this.sections = sections;
        this.groups = groups;
    }

    /**
     * Evaluates boxes always, and masks when the ground truth has masks and the detections do too (at least one has
     * a mask, or there are none): pycocotools would rasterise a box-only model's boxes as masks, and reporting that
     * as mask quality would mislead.
     *
     * @param threshold confidence threshold of the KPIs (the model card uses the deployment threshold)
     * @param groupBy   image field to split the KPIs by, or null
     * @throws IllegalArgumentException for detections on images absent from the ground truth (naming them)
     */
    public static MetricsReport compute(CocoDataset groundTruth, List<CocoDetection> detections, double threshold,
            String groupBy) {
        boolean masks = groundTruth.hasMasks()
                && (detections.isEmpty() || detections.stream().anyMatch(CocoDetection::hasSegmentation));
        return compute(groundTruth, detections, threshold, groupBy, masks);
    }

    /**
     * @param evaluateMasks whether to add the {@code segm} section (the ground truth must then have masks; detections
     *                      without one are evaluated with their rasterised box, as pycocotools does)
     */
    public static MetricsReport compute(CocoDataset groundTruth, List<CocoDetection> detections, double threshold,
            String groupBy, boolean evaluateMasks) {
        Map<IouType, Section> sections = new EnumMap<>(IouType.class);
        for (IouType type : evaluateMasks ? List.of(IouType.BBOX, IouType.SEGM) : List.of(IouType.BBOX)) {
            EvalInput in = EvalInput.prepare(groundTruth, detections, type);
            CocoEvalResult coco = CocoEvaluator.evaluate(in, CocoEvalParams.defaults());
            KpiMatching matching = KpiMatcher.match(in, KpiMatcher.DEFAULT_IOU);
            sections.put(type, new Section(coco, matching, matching.at(threshold), matching.sweep(),
                    matching.bestF1()));
        }
        Map<String, Map<IouType, Kpi>> groups = new LinkedHashMap<>();
        if (groupBy != null) {
            sections.forEach((type, s) -> s.matching().groupBy(groupBy).forEach((name, m) ->
                    groups.computeIfAbsent(name, k -> new EnumMap<>(IouType.class)).put(type, m.at(threshold))));
        }
        return new MetricsReport(groundTruth.images().size(), detections.size(), threshold, groupBy, sections,
                groups);
    }

    public int images() {
        return images;
    }

    public int detections() {
        return detections;
    }

    public double threshold() {
        return threshold;
    }

    /** The grouping field, or null. */
    public String groupBy() {
        return groupBy;
    }

    /** BBOX always, SEGM when masks were evaluated. */
    public Map<IouType, Section> sections() {
        return Map.copyOf(sections);
    }

    public Optional<Section> section(IouType type) {
        return Optional.ofNullable(sections.get(type));
    }

    /** Group name to KPIs per iouType at {@link #threshold()}, groups in ascending name order. */
    public Map<String, Map<IouType, Kpi>> groups() {
        return groups;
    }

    public ObjectNode toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("images", images);
        root.put("detections", detections);
        root.put("threshold", threshold);
        if (groupBy == null) {
            root.putNull("group_by");
        } else {
            root.put("group_by", groupBy);
        }
        sections.forEach((type, s) -> root.set(type.cocoName(), section(mapper, s)));
        ObjectNode g = root.putObject("groups");
        groups.forEach((name, kpis) -> {
            ObjectNode entry = g.putObject(name);
            kpis.forEach((type, kpi) -> entry.set(type.cocoName(), kpi(mapper, kpi)));
        });
        return root;
    }

    /** Writes {@code metrics.json} (pretty-printed UTF-8), creating parent directories. */
    public void write(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), toJson());
    }

    private static ObjectNode section(ObjectMapper mapper, Section s) {
        ObjectNode o = mapper.createObjectNode();
        ArrayNode stats = o.putArray("stats");
        for (double v : s.coco().stats()) {
            stats.add(v);
        }
        ArrayNode names = o.putArray("stat_names");
        CocoEvalResult.STAT_NAMES.forEach(names::add);
        ObjectNode pr = o.putObject("pr_curve");
        ArrayNode rec = pr.putArray("recall");
        for (double v : s.coco().params().recallThresholds()) {
            rec.add(v);
        }
        ArrayNode p50 = pr.putArray("precision_iou50");
        for (double v : s.coco().precisionCurve(0.5)) {
            p50.add(v);
        }
        ArrayNode p75 = pr.putArray("precision_iou75");
        for (double v : s.coco().precisionCurve(0.75)) {
            p75.add(v);
        }
        o.set("kpi", kpi(mapper, s.kpi()));
        ArrayNode sweep = o.putArray("sweep");
        s.sweep().forEach(k -> sweep.add(kpi(mapper, k)));
        if (s.bestF1().isPresent()) {
            o.set("best_f1", kpi(mapper, s.bestF1().get()));
        } else {
            o.putNull("best_f1");
        }
        return o;
    }

    private static ObjectNode kpi(ObjectMapper mapper, Kpi k) {
        ObjectNode o = mapper.createObjectNode();
        o.put("threshold", k.threshold());
        o.put("iou", k.iou());
        o.put("tp", k.tp());
        o.put("fp", k.fp());
        o.put("fn", k.fn());
        o.put("ignored", k.ignored());
        ratio(o, "precision", k.precision());
        ratio(o, "recall", k.recall());
        ratio(o, "f1", k.f1());
        ratio(o, "accuracy", k.accuracy());
        return o;
    }

    /** Puts a ratio, or null where it is undefined (NaN: no detections, no ground truth). */
    public static void ratio(ObjectNode o, String name, double v) {
        if (Double.isNaN(v)) {
            o.putNull(name);
        } else {
            o.put(name, v);
        }
    }
}
