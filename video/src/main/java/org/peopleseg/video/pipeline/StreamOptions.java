package org.peopleseg.video.pipeline;

import org.peopleseg.video.track.TrackerConfig;

/**
 * How the pipeline runs, independent of where frames come from and go to.
 *
 * @param interval         run the model on every N-th frame of a source (1 = every frame); the tracker carries
 *                         identities through the frames in between, so interval > 1 needs a tracker
 * @param batchTimeoutMs   how long a batch waits for live sources to deliver a frame (nvstreammux's
 *                         batched-push-timeout); file sources are always waited for
 * @param queueFrames      decoded frames buffered per file source ahead of inference
 * @param tracker          tracker settings, or null for no tracking (no ids, no MOT output)
 * @param perfIntervalSeconds seconds between performance lines; 0 = none
 * @param maxFrames        stop each source after this many frames (0 = no limit)
 * @param maxSeconds       stop the whole run after this many seconds (0 = no limit; soak runs)
 */
public record StreamOptions(int interval, long batchTimeoutMs, int queueFrames, TrackerConfig tracker,
                            double perfIntervalSeconds, long maxFrames, double maxSeconds) {

    public StreamOptions {
        if (interval < 1) {
            throw new IllegalArgumentException("interval must be at least 1, got " + interval);
        }
        if (interval > 1 && tracker == null) {
            throw new IllegalArgumentException("interval " + interval
                    + " needs the tracker: it carries people through the frames the model skips");
        }
        if (batchTimeoutMs < 0) {
            throw new IllegalArgumentException("batch timeout must be 0 or more ms, got " + batchTimeoutMs);
        }
        if (queueFrames < 1) {
            throw new IllegalArgumentException("queue must hold at least 1 frame, got " + queueFrames);
        }
        if (!(perfIntervalSeconds >= 0)) {
            throw new IllegalArgumentException("performance interval must be 0 or more seconds, got "
                    + perfIntervalSeconds);
        }
        if (!(maxSeconds >= 0)) {
            throw new IllegalArgumentException("duration must be 0 (no limit) or more seconds, got " + maxSeconds);
        }
        if (maxFrames < 0) {
            throw new IllegalArgumentException("max frames must be 0 (no limit) or more, got " + maxFrames);
        }
    }

    public static StreamOptions defaults() {
        return new StreamOptions(1, 40, 4, TrackerConfig.defaults(), 5, 0, 0);
    }
}
