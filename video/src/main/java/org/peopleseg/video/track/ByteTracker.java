package org.peopleseg.video.track;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.mask.BitMask;
import org.peopleseg.core.match.LinearAssignment;
import org.peopleseg.core.result.Instance;

/**
 * Multi-object tracker that gives detections persistent ids across video frames: a Kalman motion model per track
 * ({@link KalmanBoxFilter}) and optimal IoU assignment ({@link LinearAssignment}), after SORT (Bewley et al. 2016),
 * with ByteTrack's (Zhang et al. 2022) two-pass association, which is what keeps people through partial occlusion:
 *
 * <ol>
 *   <li>every track's motion model advances one frame;</li>
 *   <li>first pass: confirmed tracks and lost tracks (up to {@code maxAge} frames old) against detections scoring at
 *       least {@code highThreshold}, by IoU of the predicted box (optionally averaged with mask IoU, see
 *       {@link TrackerConfig#useMaskIou()}); a lost track matched here is re-found with its old id;</li>
 *   <li>second pass: confirmed tracks still unmatched against the low detections ({@code lowThreshold} ≤ score &lt;
 *       {@code highThreshold}), by box IoU ≥ {@code secondMatchIou}; tracks unmatched after it become lost;</li>
 *   <li>tentative tracks against the high detections left, like the first pass; a tentative track that misses is
 *       dropped;</li>
 *   <li>high detections still unmatched that score at least {@code newTrackThreshold} start tentative tracks; low
 *       detections never start tracks;</li>
 *   <li>lost tracks older than {@code maxAge} frames are dropped.</li>
 * </ol>
 *
 * <p>Differences from ByteTrack: ids are handed out only when a track is confirmed ({@code minHits} matched
 * detections, SORT's rule, including its exception for the first {@code minHits} frames of a stream), so spurious
 * detections never use up ids and ids are consecutive; association costs are plain {@code 1 − IoU} without ByteTrack's
 * score fusion, with a minimum IoU ({@code matchIou}) instead of a distance limit; the assignment maximises the number
 * of allowed pairs before minimising cost (ByteTrack's {@code lapjv} with a cost limit can prefer fewer, cheaper
 * pairs); optional mask IoU in the first pass; {@link #predict()} for frames the model does not see; and categories
 * are kept apart: a detection is only ever matched to a track of the same {@code categoryId}, so one tracker can take
 * all classes of a frame without matching a person to a car (ids are shared across categories).
 *
 * <p>Every {@link #update} or {@link #predict} call is one video frame. Deterministic: the same inputs give the same
 * ids. Not thread-safe; use one tracker per stream.
 */
public final class ByteTracker {
    private final TrackerConfig config;
    /** Live tracks (not removed), in order of birth. */
    private final List<Track> tracks = new ArrayList<>();
    private long nextId = 1;
    private long frameCount;

    public ByteTracker() {
        this(TrackerConfig.defaults());
    }

    public ByteTracker(TrackerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public TrackerConfig config() {
        return config;
    }

    /**
     * Tracks one frame that went through the model.
     *
     * @param detections this frame's detections, any order; those scoring below {@code lowThreshold} are ignored
     * @return the detections matched to confirmed tracks in this frame, each {@link Instance#withTrackId with its
     *         track id} and otherwise unchanged (the detection's own box, score and mask, so box and mask agree), in
     *         the order of {@code detections}; detections of tentative tracks or unmatched ones are left out
     */
    public List<Instance> update(List<Instance> detections) {
        Objects.requireNonNull(detections, "detections");
        frameCount++;
        for (Track t : tracks) {
            t.predict();
        }

        int n = detections.size();
        int[] high = new int[n], low = new int[n];
        int nHigh = 0, nLow = 0;
        for (int i = 0; i < n; i++) {
            double score = Objects.requireNonNull(detections.get(i), "detection").score();
            if (score >= config.highThreshold()) {
                high[nHigh++] = i;
            } else if (score >= config.lowThreshold()) {
                low[nLow++] = i;
            }
        }
        high = Arrays.copyOf(high, nHigh);
        low = Arrays.copyOf(low, nLow);
        Track[] matchOf = new Track[n];
        MaskRuns[] detRuns = config.useMaskIou() ? new MaskRuns[n] : null;
        long[] detArea = config.useMaskIou() ? new long[n] : null;

        // 1. confirmed + lost tracks vs high detections
        List<Track> pool = new ArrayList<>();
        List<Track> tentative = new ArrayList<>();
        for (Track t : tracks) {
            (t.state() == TrackState.TENTATIVE ? tentative : pool).add(t);
        }
        boolean[] poolMatched = associate(pool, detections, high, matchOf, true, config.matchIou(), detRuns, detArea);
        for (int r = 0; r < pool.size(); r++) {
            if (poolMatched[r] && pool.get(r).state() == TrackState.LOST) {
                pool.get(r).setState(TrackState.CONFIRMED);
            }
        }

        // 2. confirmed (not lost) tracks left vs low detections, box IoU only
        List<Track> remaining = new ArrayList<>();
        for (int r = 0; r < pool.size(); r++) {
            if (!poolMatched[r] && pool.get(r).state() == TrackState.CONFIRMED) {
                remaining.add(pool.get(r));
            }
        }
        boolean[] remainingMatched =
                associate(remaining, detections, low, matchOf, false, config.secondMatchIou(), null, null);
        for (int r = 0; r < remaining.size(); r++) {
            if (!remainingMatched[r]) {
                remaining.get(r).setState(TrackState.LOST);
            }
        }
        for (int r = 0; r < pool.size(); r++) {
            if (pool.get(r).timeSinceUpdate() > 0) {
                pool.get(r).miss();
            }
        }

        // 3. tentative tracks vs the high detections left
        int[] highLeft = unmatched(high, matchOf);
        boolean[] tentativeMatched =
                associate(tentative, detections, highLeft, matchOf, true, config.matchIou(), detRuns, detArea);
        for (int r = 0; r < tentative.size(); r++) {
            Track t = tentative.get(r);
            if (!tentativeMatched[r]) {
                t.setState(TrackState.REMOVED);
            } else if (t.hits() >= config.minHits()) {
                confirm(t);
            }
        }

        // 4. new tracks from confident unmatched detections
        for (int i : unmatched(highLeft, matchOf)) {
            Instance d = detections.get(i);
            if (d.score() >= config.newTrackThreshold()) {
                Track t = new Track(d);
                tracks.add(t);
                matchOf[i] = t;
                if (t.hits() >= config.minHits() || frameCount <= config.minHits()) {
                    confirm(t);
                }
            }
        }

        // 5. forget tracks that are gone
        removeExpired();

        List<Instance> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Track t = matchOf[i];
            if (t != null && t.state() == TrackState.CONFIRMED) {
                out.add(detections.get(i).withTrackId(t.id()));
            }
        }
        return out;
    }

    /**
     * Carries the tracks through one frame the model did not see (inference every N-th frame): advances every motion
     * model one frame and returns, for each confirmed track matched on the last inferred frame, an instance at the
     * Kalman-predicted box with the last score, category and label, and the last mask moved by the whole-pixel
     * displacement of the box centre since that mask was seen ({@link MaskShift}). The box is not clipped to the
     * image. In the order the tracks were born (which is the order of their ids). Counts towards {@code maxAge} but is not a miss: tentative tracks survive it.
     */
    public List<Instance> predict() {
        frameCount++;
        List<Instance> out = new ArrayList<>();
        for (Track t : tracks) {
            t.predict();
        }
        removeExpired();
        for (Track t : tracks) {
            if (t.state() == TrackState.CONFIRMED && t.matchedOnLastInference()) {
                Instance last = t.lastDetection();
                BitMask mask = last.mask() == null ? null : MaskShift.translate(last.mask(), t.shiftX(), t.shiftY());
                out.add(new Instance(t.predictedBox(), last.score(), last.categoryId(), last.label(), mask, t.id()));
            }
        }
        return out;
    }

    /** Forgets every track and restarts frame counting and ids at 1, for a new stream. */
    public void reset() {
        tracks.clear();
        nextId = 1;
        frameCount = 0;
    }

    /** Confirmed tracks matched on the last inferred frame (people currently followed), lost ones excluded. */
    public int activeTrackCount() {
        int c = 0;
        for (Track t : tracks) {
            if (t.state() == TrackState.CONFIRMED) {
                c++;
            }
        }
        return c;
    }

    /** Live tracks in order of birth: tentative, confirmed and lost (a copy of the list; the tracks themselves are live). */
    public List<Track> tracks() {
        return List.copyOf(tracks);
    }

    /** The id the next confirmed track will get; {@code nextId() - 1} ids have been handed out. */
    public long nextId() {
        return nextId;
    }

    /** Frames seen: {@link #update} plus {@link #predict} calls since construction or {@link #reset()}. */
    public long frameCount() {
        return frameCount;
    }

    private void confirm(Track t) {
        t.setState(TrackState.CONFIRMED);
        if (t.id() < 0) {
            t.setId(nextId++);
        }
    }

    private void removeExpired() {
        tracks.removeIf(t -> t.state() == TrackState.REMOVED
                || (t.state() == TrackState.LOST && t.timeSinceUpdate() > config.maxAge()));
    }

    private static int[] unmatched(int[] idx, Track[] matchOf) {
        int[] out = new int[idx.length];
        int c = 0;
        for (int i : idx) {
            if (matchOf[i] == null) {
                out[c++] = i;
            }
        }
        return Arrays.copyOf(out, c);
    }

    /**
     * Optimal one-to-one matching of {@code trackList} with {@code detections[cols]}; pairs of different categories or
     * below {@code minSimilarity} are forbidden. Matched tracks are updated and recorded in {@code matchOf}.
     *
     * @return per track whether it was matched
     */
    private boolean[] associate(List<Track> trackList, List<Instance> detections, int[] cols, Track[] matchOf,
            boolean maskAware, double minSimilarity, MaskRuns[] detRuns, long[] detArea) {
        int rows = trackList.size();
        boolean[] matched = new boolean[rows];
        if (rows == 0 || cols.length == 0) {
            return matched;
        }
        boolean useMask = maskAware && config.useMaskIou();
        double[][] cost = new double[rows][cols.length];
        for (int r = 0; r < rows; r++) {
            Track t = trackList.get(r);
            Box predicted = t.predictedBox();
            Instance last = t.lastDetection();
            for (int c = 0; c < cols.length; c++) {
                Instance d = detections.get(cols[c]);
                double sim = 0;
                if (d.categoryId() == last.categoryId()) {
                    sim = predicted.iou(d.box());
                    if (useMask && sim > 0) {
                        sim = withMaskIou(sim, t, d, cols[c], detRuns, detArea);
                    }
                }
                cost[r][c] = sim >= minSimilarity && sim > 0 ? 1 - sim : Double.POSITIVE_INFINITY;
            }
        }
        int[] assignment = LinearAssignment.solve(cost);
        for (int r = 0; r < rows; r++) {
            int c = assignment[r];
            if (c >= 0) {
                Track t = trackList.get(r);
                t.match(detections.get(cols[c]));
                matchOf[cols[c]] = t;
                matched[r] = true;
            }
        }
        return matched;
    }

    /** Mean of box IoU and the IoU of the track's last mask, moved to the predicted centre, with the detection mask. */
    private static double withMaskIou(double boxIou, Track t, Instance d, int di, MaskRuns[] detRuns, long[] detArea) {
        BitMask tm = t.lastDetection().mask(), dm = d.mask();
        if (tm == null || dm == null || tm.width() != dm.width() || tm.height() != dm.height()) {
            return boxIou;
        }
        if (detRuns[di] == null) {
            detRuns[di] = MaskRuns.of(dm);
            detArea[di] = detRuns[di].area();
        }
        double maskIou = t.lastMaskRuns().iouShifted(t.shiftX(), t.shiftY(), detRuns[di], detArea[di]);
        return (boxIou + maskIou) / 2;
    }
}
