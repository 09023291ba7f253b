package org.peopleseg.core.eval.mot;

/**
 * Identity measures (Ristani et al. 2016) of a sequence: boxes counted after the one global matching of
 * ground-truth trajectories to hypothesis trajectories (see {@link IdentityAccumulator}).
 *
 * @param idtp ground-truth boxes covered (IoU at the threshold) by the hypothesis trajectory matched to theirs
 * @param idfp hypothesis boxes that are not an IDTP (unmatched trajectories included)
 * @param idfn ground-truth boxes that are not an IDTP
 */
public record IdentityCounts(int idtp, int idfp, int idfn) {

    /** IDTP / (IDTP + IDFP); NaN without hypotheses. */
    public double idp() {
        return ratio(idtp, idtp + idfp);
    }

    /** IDTP / (IDTP + IDFN); NaN without ground truth. */
    public double idr() {
        return ratio(idtp, idtp + idfn);
    }

    /** 2·IDTP / (2·IDTP + IDFP + IDFN); NaN when both files are empty. */
    public double idf1() {
        return ratio(2.0 * idtp, 2.0 * idtp + idfp + idfn);
    }

    static double ratio(double num, double den) {
        return den == 0 ? Double.NaN : num / den;
    }

    public IdentityCounts plus(IdentityCounts o) {
        return new IdentityCounts(idtp + o.idtp, idfp + o.idfp, idfn + o.idfn);
    }
}
