package org.peopleseg.video.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.peopleseg.video.SharedFiles;
import org.peopleseg.video.sink.FrameSink;
import org.peopleseg.video.source.SourceSpec;
import org.peopleseg.video.track.TrackerConfig;

/**
 * The live-rate requirement: a source paced at its frame rate (vtest.avi with live=true, 10 fps) and a
 * model slower than the source (250 ms per frame, 2.5 frame intervals) gives bounded latency and counted drops,
 * not lag. The same run with live=false processes every frame and falls further and further behind the source.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveSourceTest {
    private static final long MODEL_MS = 250;

    /** What a sink saw of each frame: media/capture time and when it was written. */
    record Seen(long frameNumber, double timestampMs, long writtenNanos, long readNanos) {}

    record Run(StreamSummary summary, List<Seen> seen, String log) {
        StreamSummary.Source source() {
            return summary.sources().get(0);
        }

        /** How far behind the source's own clock frame k is written, relative to the first frame (ms). */
        double lagMs(int k) {
            Seen first = seen.get(0);
            Seen s = seen.get(k);
            return (s.writtenNanos() - first.writtenNanos()) / 1e6 - (s.timestampMs() - first.timestampMs());
        }
    }

    private static Run run(SourceSpec spec, long maxFrames) {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        SinkFactory recorder = (source, w, h, fps) -> List.of(new FrameSink() {
            @Override
            public void write(FrameResult r) {
                seen.add(new Seen(r.frameNumber(), r.frame().timestampMs(), System.nanoTime(), r.frame().readNanos()));
            }

            @Override
            public void close() {}
        });
        StringWriter log = new StringWriter();
        StreamOptions o = new StreamOptions(1, 40, 4, TrackerConfig.defaults(), 0, maxFrames, 0);
        StreamSummary s = new StreamPipeline(new MovingPersonSegmenter(MODEL_MS, 0), "slow.onnx", List.of(spec),
                recorder, o, new PrintWriter(log, true)).run();
        return new Run(s, seen, log.toString());
    }

    @Test
    void liveSourceWithASlowModelDropsFramesInsteadOfLagging() {
        Path vtest = SharedFiles.vtest();
        // 40 frames at 10 fps: the source takes ~3.9 s whatever the model does
        Run live = run(SourceSpec.of(vtest.toString()).withLive(true), 40);
        StreamSummary.Source src = live.source();
        String info = src + "\n" + live.log();
        assertTrue(src.live(), info);
        assertTrue(live.summary().allSucceeded(), info);
        assertTrue(src.framesDropped() > 0, "drops are counted: " + info);
        // the model manages at most one frame per 250 ms of the ~4 s, plus the first and the last
        assertTrue(src.framesWritten() <= 4000 / MODEL_MS + 2, "written " + src.framesWritten() + ": " + info);
        assertTrue(src.framesWritten() >= 6, "the model kept working: " + info);
        // every frame the source delivered was either written or dropped
        assertEquals(src.framesRead(), src.framesWritten() + src.framesDropped(), info);
        assertEquals(40, src.framesRead(), 2, info);
        assertEquals(src.framesWritten(), live.seen().size());
        assertTrue(live.summary().wallSeconds() >= 3.5 && live.summary().wallSeconds() < 15,
                "paced at 10 fps: " + live.summary().wallSeconds() + " s");
        // frames written are the newest: increasing numbers with gaps, the last frame of the source among them
        long last = live.seen().get(live.seen().size() - 1).frameNumber();
        assertTrue(last >= 38, "the newest frames are processed, last written " + last);
        // bounded latency: waiting for the model's current frame plus its own inference, never a backlog
        double p95 = src.latencyMs().p95();
        assertTrue(p95 < 3 * MODEL_MS + 500, "latency p95 " + p95 + " ms: " + info);
        assertTrue(src.latencyMs().max() < 3 * MODEL_MS + 1000, "latency max " + src.latencyMs().max() + " ms");
        // and no lag behind the source's clock, however long it runs
        for (int k = 1; k < live.seen().size(); k++) {
            assertTrue(Math.abs(live.lagMs(k)) < 3 * MODEL_MS + 500, "frame " + live.seen().get(k).frameNumber()
                    + " lags " + live.lagMs(k) + " ms");
        }

        // the same source not live: every frame is processed, nothing dropped, and the backlog grows
        Run file = run(SourceSpec.of(vtest.toString()), 12);
        StreamSummary.Source f = file.source();
        assertEquals(0, f.framesDropped(), f.toString());
        assertEquals(12, f.framesWritten());
        assertEquals(12, f.framesInferred());
        double fileP95 = f.latencyMs().p95();
        assertTrue(fileP95 > p95 + 300, "file latency p95 " + fileP95 + " ms vs live " + p95 + " ms");
        assertTrue(fileP95 > 4 * MODEL_MS, "frames wait behind the queue: p95 " + fileP95 + " ms");
        double lagMiddle = file.lagMs(5);
        double lagEnd = file.lagMs(11);
        assertTrue(lagEnd > 1000, "11 frames behind at 150 ms each: " + lagEnd + " ms");
        assertTrue(lagEnd > lagMiddle + 400, "the lag grows with the run: " + lagMiddle + " -> " + lagEnd + " ms");
    }
}
