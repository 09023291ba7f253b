package org.peopleseg.video.track;

/**
 * Settings of {@link ByteTracker}. The defaults are ByteTrack's (Zhang et al. 2022) for the score thresholds and
 * SORT's (Bewley et al. 2016) for {@code minHits}, expressed as IoU similarities rather than ByteTrack's distances.
 *
 * @param highThreshold     detections scoring at least this take part in the first association pass (ByteTrack's
 *                          {@code track_thresh}, 0.5)
 * @param lowThreshold      detections scoring at least this but below {@code highThreshold} are used only in the
 *                          second pass, to keep already tracked people alive through occlusion and blur; anything
 *                          lower is ignored (0.1)
 * @param newTrackThreshold an unmatched high detection starts a new track only when it scores at least this
 *                          (ByteTrack's {@code det_thresh = track_thresh + 0.1}, 0.6); must be at least
 *                          {@code highThreshold}, since only high detections can start tracks
 * @param matchIou          minimum similarity for a first-pass (and tentative-track) match (0.3); ByteTrack's
 *                          {@code match_thresh} 0.8 is a distance on score-fused IoU, this is a plain IoU floor
 * @param secondMatchIou    minimum box IoU for a second-pass match with a low detection (0.5, ByteTrack's)
 * @param maxAge            frames a lost track is kept for re-identification after its last match (30; every
 *                          {@code update} and {@code predict} call is one frame)
 * @param minHits           matched detections before a track is reported and gets an id (3); tracks born during the
 *                          first {@code minHits} frames of a stream are reported at once, as in SORT
 * @param useMaskIou        when true, the first pass (and the tentative-track pass) scores a pair as the mean of the
 *                          box IoU (Kalman-predicted box vs detection box) and the mask IoU (the track's last mask,
 *                          moved by the predicted displacement of its box centre, vs the detection mask); pairs without
 *                          two masks of the same size, and pairs whose boxes do not overlap, fall back to box IoU. The
 *                          second pass always uses box IoU. Costs one pass over each detection mask per frame.
 */
public record TrackerConfig(
        double highThreshold,
        double lowThreshold,
        double newTrackThreshold,
        double matchIou,
        double secondMatchIou,
        int maxAge,
        int minHits,
        boolean useMaskIou) {

    public static final double DEFAULT_HIGH_THRESHOLD = 0.5;
    public static final double DEFAULT_LOW_THRESHOLD = 0.1;
    public static final double DEFAULT_NEW_TRACK_THRESHOLD = 0.6;
    public static final double DEFAULT_MATCH_IOU = 0.3;
    public static final double DEFAULT_SECOND_MATCH_IOU = 0.5;
    public static final int DEFAULT_MAX_AGE = 30;
    public static final int DEFAULT_MIN_HITS = 3;

    public TrackerConfig {
        requireUnit("highThreshold", highThreshold);
        requireUnit("lowThreshold", lowThreshold);
        requireUnit("newTrackThreshold", newTrackThreshold);
        if (lowThreshold > highThreshold) {
            throw new IllegalArgumentException(
                    "lowThreshold (" + lowThreshold + ") must not exceed highThreshold (" + highThreshold + ")");
        }
        if (newTrackThreshold < highThreshold) {
            throw new IllegalArgumentException("newTrackThreshold (" + newTrackThreshold
                    + ") must be at least highThreshold (" + highThreshold + "): only high detections start tracks");
        }
        requireIou("matchIou", matchIou);
        requireIou("secondMatchIou", secondMatchIou);
        if (maxAge < 0) {
            throw new IllegalArgumentException("maxAge must be >= 0 frames, got " + maxAge);
        }
        if (minHits < 1) {
            throw new IllegalArgumentException("minHits must be >= 1, got " + minHits);
        }
    }

    /** ByteTrack's thresholds, SORT's {@code minHits}, box IoU only. */
    public static TrackerConfig defaults() {
        return new TrackerConfig(DEFAULT_HIGH_THRESHOLD, DEFAULT_LOW_THRESHOLD, DEFAULT_NEW_TRACK_THRESHOLD,
                DEFAULT_MATCH_IOU, DEFAULT_SECOND_MATCH_IOU, DEFAULT_MAX_AGE, DEFAULT_MIN_HITS, false);
    }

    public TrackerConfig withHighThreshold(double v) {
        return new TrackerConfig(v, lowThreshold, newTrackThreshold, matchIou, secondMatchIou, maxAge, minHits, useMaskIou);
    }

    public TrackerConfig withLowThreshold(double v) {
        return new TrackerConfig(highThreshold, v, newTrackThreshold, matchIou, secondMatchIou, maxAge, minHits, useMaskIou);
    }

    public TrackerConfig withNewTrackThreshold(double v) {
        return new TrackerConfig(highThreshold, lowThreshold, v, matchIou, secondMatchIou, maxAge, minHits, useMaskIou);
    }

    public TrackerConfig withMatchIou(double v) {
        return new TrackerConfig(highThreshold, lowThreshold, newTrackThreshold, v, secondMatchIou, maxAge, minHits, useMaskIou);
    }

    public TrackerConfig withSecondMatchIou(double v) {
        return new TrackerConfig(highThreshold, lowThreshold, newTrackThreshold, matchIou, v, maxAge, minHits, useMaskIou);
    }

    public TrackerConfig withMaxAge(int v) {
        return new TrackerConfig(highThreshold, lowThreshold, newTrackThreshold, matchIou, secondMatchIou, v, minHits, useMaskIou);
    }

    public TrackerConfig withMinHits(int v) {
        return new TrackerConfig(highThreshold, lowThreshold, newTrackThreshold, matchIou, secondMatchIou, maxAge, v, useMaskIou);
    }

    public TrackerConfig withUseMaskIou(boolean v) {
        return new TrackerConfig(highThreshold, lowThreshold, newTrackThreshold, matchIou, secondMatchIou, maxAge, minHits, v);
    }

    private static void requireUnit(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
        }
    }

    private static void requireIou(String name, double v) {
        if (!(v > 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in (0, 1], got " + v);
        }
    }
}
