package org.peopleseg.models.yolo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Weighted boxes fusion (Solovyev, Wang and Gabruseva, "Weighted boxes fusion: ensembling boxes from different
 * object detection models", arXiv:1910.13302; reference implementation ZFTurbo/Weighted-Boxes-Fusion,
 * {@code ensemble_boxes_wbf.py}, {@code conf_type='avg'}, equal weights) over the detections of several views of one
 * image, each view already through its own NMS, with one change: a cluster takes at most one detection per view.
 *
 * <p>The algorithm: every detection of every view, highest score first, joins the cluster of its class whose current
 * fused box it overlaps most with IoU above {@code iouThreshold} and which has no detection of its view yet, or
 * starts a new one. A cluster's fused box is the score-weighted mean of its members' corners; its score is the sum of
 * its members' scores over the number of views (the reference's mean times min(views, members) / views), so a person
 * seen in one of two views keeps half its score and one seen in both gets the mean. Unlike NMS, which keeps the
 * maximum, this re-ranks: a person scored low in one view and high in the other ends up in between, and a false
 * positive seen in one view only is halved.
 *
 * <p>Why one per view: the reference lets two boxes of the same view join a cluster. Each view's NMS (IoU 0.7) has
 * already decided those are two objects, and in a crowd they are: neighbours overlapping by IoU 0.55-0.7 were merged
 * into one box between them. Measured with {@code evaluate --tta flip} on the cctv validation frames (README,
 * "Test-time flip"): the reference's rule lowered box AP75 from 40.6 to 35.6, one per view raised it to 42.5.
 */
public final class BoxFusion {
    /** The reference's default match threshold. */
    public static final float IOU_THRESHOLD = 0.55f;

    private BoxFusion() {}

    /** One detection of one view, in the common (un-augmented) network-input frame. */
    public record Member(YoloSegDecoder.Candidate candidate, int view) {}

    /**
     * A fused detection: corners, score and class, and the members it was made of, highest score first (the first
     * is the one whose mask coefficients the segmenter uses).
     */
    public record Fused(float x1, float y1, float x2, float y2, float score, int cls, List<Member> members) {
        public Member top() {
            return members.get(0);
        }
    }

    /**
     * @param views one list per view (each already NMS'd); boxes in the same frame
     * @return fused detections, highest score first
     */
    public static List<Fused> fuse(List<List<YoloSegDecoder.Candidate>> views, float iouThreshold) {
        List<Member> all = new ArrayList<>();
        for (int v = 0; v < views.size(); v++) {
            for (YoloSegDecoder.Candidate c : views.get(v)) {
                all.add(new Member(c, v));
            }
        }
        // stable: equal scores keep the earlier view first (the reference leaves ties to numpy's unstable argsort)
        all.sort(Comparator.comparingDouble((Member m) -> m.candidate().score()).reversed());
        List<Cluster> clusters = new ArrayList<>();
        for (Member m : all) {
            Cluster best = null;
            float bestIou = iouThreshold;
            for (Cluster c : clusters) {
                if (c.cls != m.candidate().cls() || c.hasView(m.view())) {
                    continue;
                }
                float iou = YoloSegDecoder.iou(c.box(), m.candidate());
                if (iou > bestIou) {
                    bestIou = iou;
                    best = c;
                }
            }
            if (best == null) {
                best = new Cluster(m.candidate().cls());
                clusters.add(best);
            }
            best.add(m);
        }
        int n = views.size();
        List<Fused> out = new ArrayList<>(clusters.size());
        for (Cluster c : clusters) {
            YoloSegDecoder.Candidate b = c.box();
            float score = (float) (c.scoreSum / n);
            out.add(new Fused(b.x1(), b.y1(), b.x2(), b.y2(), score, c.cls, List.copyOf(c.members)));
        }
        out.sort(Comparator.comparingDouble(Fused::score).reversed());
        return out;
    }

    /** A cluster's running sums: the fused box is recomputed from them after every member, as the reference does. */
    private static final class Cluster {
        final int cls;
        final List<Member> members = new ArrayList<>();
        double scoreSum, wx1, wy1, wx2, wy2;

        Cluster(int cls) {
            this.cls = cls;
        }

        boolean hasView(int view) {
            for (Member m : members) {
                if (m.view() == view) {
                    return true;
                }
            }
            return false;
        }

        void add(Member m) {
            YoloSegDecoder.Candidate c = m.candidate();
            members.add(m);
            scoreSum += c.score();
            wx1 += c.score() * c.x1();
            wy1 += c.score() * c.y1();
            wx2 += c.score() * c.x2();
            wy2 += c.score() * c.y2();
        }

        YoloSegDecoder.Candidate box() {
            return new YoloSegDecoder.Candidate((float) (wx1 / scoreSum), (float) (wy1 / scoreSum),
                    (float) (wx2 / scoreSum), (float) (wy2 / scoreSum), (float) (scoreSum / members.size()), cls, -1);
        }
    }
}
