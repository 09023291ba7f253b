package org.peopleseg.core.eval.mot;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.peopleseg.core.eval.MetricsReport;

/**
 * Tracking quality of one sequence (or of several summed): CLEAR-MOT, identity measures and per-frame detection
 * precision/recall, all at one IoU threshold. Serialised by Jackson as {@link #toJson()}.
 *
 * <h2>JSON</h2>
 * <pre>
 * {
 *   "iou": 0.5,                 a pair matches when IoU &gt;= iou
 *   "frames": 795,              frames with a box in either file
 *   "gt_boxes": 620, "gt_ids": 7, "gt_ignored": 0,     ground truth (ignored: rows with flag 0, dropped)
 *   "hyp_boxes": 620, "hyp_ids": 7,                   tracker output
 *   "mota": 1.0,                1 − (misses + false_positives + id_switches) / gt_boxes
 *   "motp": 1.0,                mean IoU of the matched pairs (py-motmetrics reports the mean of 1 − IoU)
 *   "idf1": 1.0, "idp": 1.0, "idr": 1.0, "idtp": 620, "idfp": 0, "idfn": 0,
 *   "matches": 620, "false_positives": 0, "misses": 0, "id_switches": 0, "fragmentations": 0,
 *   "mostly_tracked": 7, "partially_tracked": 0, "mostly_lost": 0,
 *   "detection": {"tp": 620, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0}   ids ignored
 * }
 * </pre>
 * A ratio with a zero denominator is null. "matches" includes switches (py-motmetrics: num_detections).
 */
public record TrackingMetrics(double iouThreshold, int gtIgnored, int hypIds, ClearMotCounts clear,
        IdentityCounts identity, DetectionCounts detection) {

    public TrackingMetrics plus(TrackingMetrics o) {
        if (Double.compare(iouThreshold, o.iouThreshold) != 0) {
            throw new IllegalArgumentException("cannot add metrics at IoU " + iouThreshold + " and " + o.iouThreshold);
        }
        return new TrackingMetrics(iouThreshold, gtIgnored + o.gtIgnored, hypIds + o.hypIds, clear.plus(o.clear),
                identity.plus(o.identity), detection.plus(o.detection));
    }

    public double mota() {
        return clear.mota();
    }

    /** Mean IoU of matched pairs, NaN without matches; py-motmetrics' {@code motp} is 1 − this. */
    public double motp() {
        return clear.matches() == 0 ? Double.NaN : 1.0 - clear.meanDistance();
    }

    public double idf1() {
        return identity.idf1();
    }

    @JsonValue
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("iou", iouThreshold);
        o.put("frames", clear.frames());
        o.put("gt_boxes", clear.objects());
        o.put("gt_ids", clear.uniqueObjects());
        o.put("gt_ignored", gtIgnored);
        o.put("hyp_boxes", clear.predictions());
        o.put("hyp_ids", hypIds);
        MetricsReport.ratio(o, "mota", mota());
        MetricsReport.ratio(o, "motp", motp());
        MetricsReport.ratio(o, "idf1", identity.idf1());
        MetricsReport.ratio(o, "idp", identity.idp());
        MetricsReport.ratio(o, "idr", identity.idr());
        o.put("idtp", identity.idtp());
        o.put("idfp", identity.idfp());
        o.put("idfn", identity.idfn());
        o.put("matches", clear.matches());
        o.put("false_positives", clear.falsePositives());
        o.put("misses", clear.misses());
        o.put("id_switches", clear.switches());
        o.put("fragmentations", clear.fragmentations());
        o.put("mostly_tracked", clear.mostlyTracked());
        o.put("partially_tracked", clear.partiallyTracked());
        o.put("mostly_lost", clear.mostlyLost());
        ObjectNode d = o.putObject("detection");
        d.put("tp", detection.truePositives());
        d.put("fp", detection.falsePositives());
        d.put("fn", detection.falseNegatives());
        MetricsReport.ratio(d, "precision", detection.precision());
        MetricsReport.ratio(d, "recall", detection.recall());
        return o;
    }
}
