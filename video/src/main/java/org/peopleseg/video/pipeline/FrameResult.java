package org.peopleseg.video.pipeline;

import org.peopleseg.core.result.Detections;
import org.peopleseg.video.source.VideoFrame;

/**
 * A processed frame on its way to the sinks.
 *
 * @param source      the source's output name
 * @param frame       the decoded frame (its image is read, never changed, by sinks)
 * @param detections  people in the frame, with track ids when tracking is on
 * @param inferred    true when the model ran on this frame; false when the tracker predicted it (--interval)
 * @param inferenceMs model time of the batch this frame was in (0 when not inferred)
 * @param sourceFps   the source's recent processing rate, for the on-screen display
 * @param latencyMs   the source's recent end-to-end latency (read to written), for the on-screen display
 */
public record FrameResult(String source, VideoFrame frame, Detections detections, boolean inferred,
                          double inferenceMs, double sourceFps, double latencyMs) {

    /** 1-based, as in MOT files. */
    public long frameNumber() {
        return frame.index() + 1;
    }
}
