package org.peopleseg.video.track;

import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.result.Instance;

/**
 * One person (or object) followed over frames by {@link ByteTracker}: its Kalman motion model, its last matched
 * detection and its counters. Read-only outside the package; the tracker owns and mutates it.
 */
public final class Track {
    private long id = -1;
    private TrackState state = TrackState.TENTATIVE;
    private int hits = 1;
    private int age;
    private int timeSinceUpdate;
    private boolean matchedOnLastInference = true;
    private Instance last;
    private final KalmanBoxFilter filter;
    /** Runs of {@code last.mask()}, built on first use for mask IoU; null until then or without a mask. */
    private MaskRuns lastMaskRuns;

    Track(Instance detection) {
        this.last = detection;
        this.filter = new KalmanBoxFilter(detection.box());
    }

    /** Persistent id (from 1), or -1 while {@link TrackState#TENTATIVE}. */
    public long id() {
        return id;
    }

    public TrackState state() {
        return state;
    }

    /** Detections matched to this track so far, the first included. */
    public int hits() {
        return hits;
    }

    /** Frames since the track was born. */
    public int age() {
        return age;
    }

    /** Frames since the last matched detection (0 on the frame of a match). */
    public int timeSinceUpdate() {
        return timeSinceUpdate;
    }

    /** Whether the last {@code update} (inferred frame) matched this track. */
    public boolean matchedOnLastInference() {
        return matchedOnLastInference;
    }

    /** The last matched detection (its own box, score and mask, without the track id). */
    public Instance lastDetection() {
        return last;
    }

    /** The box the motion model expects now (after this frame's predict; filtered after an update). */
    public Box predictedBox() {
        return filter.box();
    }

    KalmanBoxFilter filter() {
        return filter;
    }

    void predict() {
        filter.predict(state == TrackState.LOST);
        age++;
        timeSinceUpdate++;
    }

    void match(Instance detection) {
        filter.update(detection.box());
        if (detection.mask() != last.mask()) {
            lastMaskRuns = null;
        }
        last = detection;
        hits++;
        timeSinceUpdate = 0;
        matchedOnLastInference = true;
    }

    void miss() {
        matchedOnLastInference = false;
    }

    void setState(TrackState state) {
        this.state = state;
    }

    void setId(long id) {
        this.id = id;
    }

    /** Whole-pixel move of the last detection's box centre to the predicted centre: how far to carry its mask. */
    int shiftX() {
        Box b = last.box();
        return (int) Math.round(filter.centerX() - (b.x1() + b.x2()) / 2);
    }

    int shiftY() {
        Box b = last.box();
        return (int) Math.round(filter.centerY() - (b.y1() + b.y2()) / 2);
    }

    MaskRuns lastMaskRuns() {
        if (lastMaskRuns == null && last.mask() != null) {
            lastMaskRuns = MaskRuns.of(last.mask());
        }
        return lastMaskRuns;
    }

    @Override
    public String toString() {
        return "Track[id=" + id + ", " + state + ", hits=" + hits + ", age=" + age + ", sinceUpdate=" + timeSinceUpdate
                + ", box=" + filter.box() + "]";
    }
}
