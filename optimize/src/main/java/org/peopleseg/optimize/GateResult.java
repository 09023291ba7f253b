package org.peopleseg.optimize;

import java.util.List;
import org.peopleseg.optimize.gate.Agreement;
import org.peopleseg.optimize.gate.LeaveOneOut;
import org.peopleseg.optimize.gate.ModelScores;
import org.peopleseg.optimize.gate.Sensitivity;

/**
 * What the accuracy gate measured before anything was written.
 *
 * @param fp32        scores of the source on the validation annotations (null without annotations)
 * @param int8        scores of the quantised model (null without annotations)
 * @param agreement   INT8 against FP32 detections
 * @param drop        the gated number: with annotations max(box AP50 drop, mask AP drop) in points (box AP when the
 *                    model has no masks), without them 100 x (1 - agreement F1)
 * @param passed      drop <= max drop
 * @param sensitivity per-value quantisation error on the validation images, worst first (refused models only)
 * @param leaveOneOut the drop with one layer kept FP32, most recovered first (refused models only)
 */
public record GateResult(ModelScores fp32, ModelScores int8, Agreement agreement, double drop, double maxDrop,
        boolean passed, List<Sensitivity.Row> sensitivity, List<LeaveOneOut.Row> leaveOneOut, int images) {

    /** The gated quantity's description. */
    public String dropDefinition() {
        if (fp32 == null) {
            return "100 x (1 - F1 of INT8 vs FP32 detections at IoU 0.5)";
        }
        return fp32.hasMasks() ? "max(box AP50 drop, mask AP drop), AP points" : "max(box AP50 drop, box AP drop), AP points";
    }

    static double drop(ModelScores fp32, ModelScores int8, Agreement agreement) {
        if (fp32 == null) {
            return 100 * (1 - agreement.f1());
        }
        double second = fp32.hasMasks() ? fp32.maskAp() - int8.maskAp() : fp32.boxAp() - int8.boxAp();
        return 100 * Math.max(fp32.boxAp50() - int8.boxAp50(), second);
    }
}
