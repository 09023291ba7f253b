package org.peopleseg.optimize;

import java.nio.file.Path;
import java.util.Set;
import org.peopleseg.optimize.calib.CalibrationMethod;
import org.peopleseg.runtime.session.SessionSettings;

/**
 * @param method          how activation ranges are chosen
 * @param includeHeads    quantise the head layers too (by default they stay FP32)
 * @param exclude         node names kept FP32
 * @param elementwise     also quantise the element-wise ops between INT8 layers (Add, Mul, Sigmoid, Concat)
 * @param maxDrop         the gate: largest accepted drop, in AP points (or agreement F1 points without annotations)
 * @param force           write even when the gate refuses (the measured drop is recorded)
 * @param threshold       score threshold of the KPIs and of the agreement
 * @param minScore        detections kept for COCO AP (low, as evaluate does)
 * @param calibrationScore score threshold while calibrating: low, so the mask head sees activations
 * @param calibrationPasses split the exposed values over this many runs per image (bounds memory)
 * @param leaveOneOut     when the gate refuses: how many layers to try one at a time in FP32 (0 = all, -1 = none)
 * @param cache           calibration cache file, or null for none
 * @param tmpDir          where temporary models go (the output's folder: same disk)
 */
public record QuantizeOptions(CalibrationMethod method, boolean includeHeads, Set<String> exclude,
        boolean elementwise, double maxDrop, boolean force, SessionSettings session, double threshold, double minScore, double calibrationScore,
        int calibrationPasses, int leaveOneOut, Path cache, Path tmpDir) {
    public QuantizeOptions {
        exclude = Set.copyOf(exclude);
    }
}
