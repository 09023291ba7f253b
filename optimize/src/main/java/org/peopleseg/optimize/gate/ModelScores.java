package org.peopleseg.optimize.gate;

import java.util.List;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoDetection;
import org.peopleseg.core.eval.IouType;
import org.peopleseg.core.eval.Kpi;
import org.peopleseg.core.eval.MetricsReport;

/**
 * One model's accuracy on the validation annotations, by the project's evaluator (pycocotools' COCOeval numbers and
 * the card's KPIs at the threshold). Mask numbers are NaN when the model or the annotations have no masks.
 */
public record ModelScores(double boxAp, double boxAp50, double maskAp, double maskAp50, Kpi boxKpi, Kpi maskKpi) {

    public static ModelScores of(CocoDataset gt, List<CocoDetection> detections, double threshold) {
        MetricsReport r = MetricsReport.compute(gt, detections, threshold, null);
        MetricsReport.Section box = r.section(IouType.BBOX).orElseThrow();
        var segm = r.section(IouType.SEGM);
        return new ModelScores(box.coco().stats()[0], box.coco().stats()[1],
                segm.map(s -> s.coco().stats()[0]).orElse(Double.NaN),
                segm.map(s -> s.coco().stats()[1]).orElse(Double.NaN), box.kpi(), segm.map(s -> s.kpi()).orElse(null));
    }

    public boolean hasMasks() {
        return !Double.isNaN(maskAp);
    }
}
