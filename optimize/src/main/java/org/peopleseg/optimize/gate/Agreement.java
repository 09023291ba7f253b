package org.peopleseg.optimize.gate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.Instance;

/**
 * How far two models agree on the same images, without ground truth: the INT8 model's detections (score at or
 * above the threshold) matched one-to-one to the FP32 model's in score order at box IoU > 0.5, as the card's KPI
 * matches detections to ground truth. F1 = 2 matched / (FP32 + INT8 detections); mean mask IoU over matched pairs.
 *
 * @param reference detections of the FP32 model
 * @param candidate detections of the INT8 model
 * @param matched   pairs
 * @param meanBoxIou  over matched pairs (NaN when none)
 * @param meanMaskIou over matched pairs with masks (NaN when none)
 */
public record Agreement(long reference, long candidate, long matched, double meanBoxIou, double meanMaskIou) {
    public static final double IOU = 0.5;

    /** 1 when both found nothing: they agree. */
    public double f1() {
        return reference + candidate == 0 ? 1.0 : 2.0 * matched / (reference + candidate);
    }

    /** @param reference and candidate: per image, the same images in the same order */
    public static Agreement of(List<Detections> reference, List<Detections> candidate, double threshold) {
        if (reference.size() != candidate.size()) {
            throw new IllegalArgumentException(reference.size() + " reference images but " + candidate.size());
        }
        long nr = 0, nc = 0, m = 0, masks = 0;
        double boxIou = 0, maskIou = 0;
        for (int i = 0; i < reference.size(); i++) {
            List<Instance> r = kept(reference.get(i), threshold);
            List<Instance> c = kept(candidate.get(i), threshold);
            nr += r.size();
            nc += c.size();
            boolean[] used = new boolean[r.size()];
            for (Instance d : c) {
                int best = -1;
                double bestIou = IOU;
                for (int j = 0; j < r.size(); j++) {
                    if (used[j] || r.get(j).categoryId() != d.categoryId()) {
                        continue;
                    }
                    double iou = r.get(j).box().iou(d.box());
                    if (iou > bestIou) {
                        bestIou = iou;
                        best = j;
                    }
                }
                if (best >= 0) {
                    used[best] = true;
                    m++;
                    boxIou += bestIou;
                    if (d.mask() != null && r.get(best).mask() != null) {
                        maskIou += d.mask().iou(r.get(best).mask());
                        masks++;
                    }
                }
            }
        }
        return new Agreement(nr, nc, m, m == 0 ? Double.NaN : boxIou / m, masks == 0 ? Double.NaN : maskIou / masks);
    }

    private static List<Instance> kept(Detections d, double threshold) {
        List<Instance> out = new ArrayList<>();
        for (Instance i : d.instances()) {
            if (i.score() >= threshold) {
                out.add(i);
            }
        }
        out.sort(Comparator.comparingDouble(Instance::score).reversed());
        return out;
    }
}
