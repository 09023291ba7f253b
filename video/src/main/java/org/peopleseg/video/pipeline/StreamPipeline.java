package org.peopleseg.video.pipeline;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.peopleseg.core.Segmenter;
import org.peopleseg.core.result.Detections;
import org.peopleseg.core.result.Instance;
import org.peopleseg.video.sink.FrameSink;
import org.peopleseg.video.source.FrameSource;
import org.peopleseg.video.source.FrameSources;
import org.peopleseg.video.source.SourceException;
import org.peopleseg.video.source.SourceSpec;
import org.peopleseg.video.source.VideoFrame;
import org.peopleseg.video.track.ByteTracker;

/**
 * The stream pipeline, DeepStream's shape on a CPU: sources → batching → inference → tracker → sinks.
 *
 * <p>Threads: one reader per source decodes ahead into its {@link FrameChannel} (ordered for files, latest-frame
 * for live sources); the calling thread forms batches (one frame from each source that has one, waiting up to
 * the batch timeout for live sources, like nvstreammux), runs the model on the frames due for inference and the
 * tracker on every frame; one sink thread draws, encodes and writes, behind a short queue, so encoding overlaps
 * the next inference. The segmenter is only ever called from the calling thread.
 *
 * <p>Memory is bounded by construction: a few frames per channel, a short sink queue, constant-size latency
 * histograms — a stream that runs for days keeps a flat footprint.
 */
public final class StreamPipeline {
    private static final long POLL_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int SINK_QUEUE = 8;

    private final Segmenter segmenter;
    private final String modelName;
    private final List<SourceSpec> specs;
    private final SinkFactory sinkFactory;
    private final StreamOptions options;
    private final PrintWriter log;
    private volatile boolean stopRequested;

    /**
     * @param log receives warnings, the performance lines and source errors (one line each)
     */
    public StreamPipeline(Segmenter segmenter, String modelName, List<SourceSpec> sources, SinkFactory sinks,
                          StreamOptions options, PrintWriter log) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no sources");
        }
        this.segmenter = segmenter;
        this.modelName = modelName;
        this.specs = List.copyOf(sources);
        this.sinkFactory = sinks;
        this.options = options;
        this.log = log;
    }

    /** Asks a running pipeline to stop after the current batch; its outputs are then finished and closed. */
    public void requestStop() {
        stopRequested = true;
    }

    /** One source's moving parts. */
    private final class Lane {
        final SourceSpec spec;
        final SourceStats stats = new SourceStats();
        final ByteTracker tracker;
        FrameSource source;
        FrameChannel channel;
        Thread reader;
        volatile String error;
        /** Set by the sink thread when this source's outputs cannot be written: stop reading it. */
        volatile boolean outputFailed;
        boolean ended;
        long taken;
        double fps;
        final List<String> outputs = new ArrayList<>();

        Lane(SourceSpec spec) {
            this.spec = spec;
            this.tracker = options.tracker() == null ? null : new ByteTracker(options.tracker());
        }
    }

    /** Runs until every source has ended or {@link #requestStop()}; returns what happened. */
    public StreamSummary run() {
        long start = System.nanoTime();
        List<Lane> lanes = new ArrayList<>();
        for (SourceSpec spec : specs) {
            Lane lane = new Lane(spec);
            lanes.add(lane);
            try {
                lane.source = FrameSources.open(spec, this::warn);
                lane.fps = lane.source.frameRate();
            } catch (SourceException | RuntimeException e) {
                lane.error = e.getMessage();
                lane.ended = true;
                report("error", e.getMessage());
            }
        }
        SinkWorker sinks = new SinkWorker();
        PerformanceReporter perf = options.perfIntervalSeconds() > 0
                ? PerformanceReporter.start(options.perfIntervalSeconds(), log, lanesForReport(lanes)) : null;
        try {
            for (Lane lane : lanes) {
                if (!lane.ended) {
                    startReader(lane);
                }
            }
            sinks.start();
            inferenceLoop(lanes, sinks);
        } finally {
            for (Lane lane : lanes) {
                if (lane.channel != null) {
                    lane.channel.close();
                }
                if (lane.reader != null) {
                    lane.reader.interrupt(); // ends a reconnection pause or a live pacing wait at once
                }
            }
            for (Lane lane : lanes) {
                joinReader(lane);
                if (!lane.ended) {
                    lane.ended = true;
                    sinks.endOf(lane);
                }
            }
            sinks.finish();
            if (perf != null) {
                perf.stop();
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        List<StreamSummary.Source> out = new ArrayList<>();
        for (Lane lane : lanes) {
            out.add(summaryOf(lane));
        }
        return new StreamSummary(StreamSummary.SCHEMA, modelName, options.interval(), options.tracker() != null,
                Math.round(wall * 1000) / 1000.0, stopRequested, out);
    }

    private Map<String, PerformanceReporter.Probe> lanesForReport(List<Lane> lanes) {
        Map<String, PerformanceReporter.Probe> m = new LinkedHashMap<>();
        for (Lane lane : lanes) {
            m.put(lane.spec.name(), new PerformanceReporter.Probe(lane.stats,
                    () -> lane.channel == null ? 0 : lane.channel.dropped(), () -> lane.ended));
        }
        return m;
    }

    private void startReader(Lane lane) {
        lane.channel = lane.spec.live() ? FrameChannel.latest() : FrameChannel.ordered(options.queueFrames());
        FrameSource source = lane.source;
        FrameChannel channel = lane.channel;
        long max = options.maxFrames();
        lane.reader = new Thread(() -> {
            SourceException error = null;
            long n = 0;
            try {
                while (!stopRequested && (max == 0 || n < max)) {
                    VideoFrame f = source.read();
                    if (f == null || !channel.put(f)) {
                        break;
                    }
                    n++;
                }
            } catch (SourceException e) {
                error = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                error = new SourceException(lane.spec.uri() + ": " + e, e);
            } finally {
                channel.finish(error);
            }
        }, "peopleseg-read-" + lane.spec.name());
        lane.reader.setDaemon(true);
        lane.reader.start();
    }

    private void joinReader(Lane lane) {
        if (lane.reader != null) {
            try {
                // a network read is bounded by the source's timeout; a file read by one frame's decoding
                lane.reader.join(lane.spec.timeoutMs() + 2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (lane.reader.isAlive()) {
                warn(lane.spec.name() + ": the reader did not stop in time; its decoder is abandoned");
                return; // closing under a running read would crash the native decoder
            }
        }
        if (lane.source != null) {
            lane.source.close();
        }
    }

    private record Pending(Lane lane, VideoFrame frame) {}

    private void inferenceLoop(List<Lane> lanes, SinkWorker sinks) {
        List<Lane> open = new ArrayList<>();
        for (Lane lane : lanes) {
            if (!lane.ended) {
                open.add(lane);
            }
        }
        List<Pending> batch = new ArrayList<>(open.size());
        long endNanos = options.maxSeconds() > 0 ? System.nanoTime() + (long) (options.maxSeconds() * 1e9)
                : Long.MAX_VALUE;
        try {
            while (!open.isEmpty() && !stopRequested && System.nanoTime() < endNanos) {
                batch.clear();
                for (Lane lane : List.copyOf(open)) {
                    if (lane.outputFailed) { // its error is already reported; the other sources go on
                        open.remove(lane);
                        lane.ended = true;
                        lane.channel.close();
                        sinks.endOf(lane);
                    }
                }
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.batchTimeoutMs());
                for (Lane lane : List.copyOf(open)) {
                    FrameChannel.Item item = next(lane, deadline);
                    if (item instanceof FrameChannel.Frame f) {
                        batch.add(new Pending(lane, f.frame()));
                    } else if (item instanceof FrameChannel.End end) {
                        open.remove(lane);
                        lane.ended = true;
                        if (end.error() != null) {
                            lane.error = end.error().getMessage();
                            report("error", lane.error);
                        }
                        sinks.endOf(lane);
                    }
                }
                if (!batch.isEmpty()) {
                    process(batch, sinks);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A frame, the end, or nothing: file sources are waited for, live ones until the batch deadline. */
    private FrameChannel.Item next(Lane lane, long deadline) throws InterruptedException {
        while (true) {
            long wait = lane.spec.live() ? Math.max(0, deadline - System.nanoTime()) : POLL_SLICE_NANOS;
            FrameChannel.Item item = lane.channel.poll(wait);
            if (!(item instanceof FrameChannel.Empty) || lane.spec.live() || stopRequested) {
                return item;
            }
        }
    }

    private void process(List<Pending> batch, SinkWorker sinks) throws InterruptedException {
        for (Pending p : batch) {
            Lane lane = p.lane();
            lane.stats.framesRead.incrementAndGet();
            boolean infer = lane.taken++ % options.interval() == 0;
            VideoFrame frame = p.frame();
            List<Instance> people;
            double inferenceMs = 0;
            if (infer) {
                long t0 = System.nanoTime();
                List<Instance> found;
                try {
                    found = segmenter.segment(frame.image(), lane.spec.name() + "#" + (frame.index() + 1))
                            .instances();
                } catch (RuntimeException e) {
                    if (lane.stats.inferenceErrors.getAndIncrement() == 0) {
                        warn(lane.spec.name() + ": inference failed on frame " + (frame.index() + 1) + ": " + e
                                + " (further failures are only counted)");
                    }
                    found = List.of();
                }
                long dt = System.nanoTime() - t0;
                lane.stats.recordInference(dt);
                inferenceMs = dt / 1e6;
                people = lane.tracker != null ? lane.tracker.update(found) : found;
            } else {
                people = clipped(lane.tracker.predict(), frame.width(), frame.height());
            }
            Detections d = new Detections(lane.spec.name() + "#" + (frame.index() + 1), frame.width(),
                    frame.height(), people);
            sinks.put(new FrameResult(lane.spec.name(), frame, d, infer, inferenceMs, lane.stats.recentFps(),
                    lane.stats.recentLatencyMs()), lane);
        }
    }

    /** Predicted boxes can drift past the border (a person walking out); outputs keep them inside the image. */
    private static List<Instance> clipped(List<Instance> people, int width, int height) {
        List<Instance> out = new ArrayList<>(people.size());
        for (Instance p : people) {
            out.add(new Instance(p.box().clip(width, height), p.score(), p.categoryId(), p.label(), p.mask(),
                    p.trackId()));
        }
        return out;
    }

    private StreamSummary.Source summaryOf(Lane lane) {
        long dropped = lane.channel == null ? 0 : lane.channel.dropped();
        long skipped = lane.source == null ? 0 : lane.source.skippedFrames();
        long reconnects = lane.source == null ? 0 : lane.source.reconnects();
        long tracks = lane.tracker == null ? 0 : lane.tracker.nextId() - 1;
        SourceStats s = lane.stats;
        return new StreamSummary.Source(lane.spec.name(), lane.spec.uri(), lane.spec.kind().name().toLowerCase(Locale.ROOT),
                lane.spec.live(), s.framesRead.get() + dropped, s.framesInferred.get(), s.framesWritten.get(), dropped, skipped,
                s.inferenceErrors.get(), reconnects, Math.round(s.fps() * 100) / 100.0, s.inference.percentiles(),
                s.latency.percentiles(), tracks, List.copyOf(lane.outputs), lane.error);
    }

    private void warn(String message) {
        report("warning", message);
    }

    /** One line on the log: "error: ..." for a source that ended, "warning: ..." for what it survived. */
    private void report(String level, String message) {
        synchronized (log) {
            log.println(level + ": " + message);
            log.flush();
        }
    }

    /**
     * The sink thread: writes each source's results in order, creates a source's sinks on its first frame and
     * closes them at its end. A failing sink is reported and dropped; the source's other outputs go on.
     */
    private final class SinkWorker {
        private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(SINK_QUEUE);
        private final Map<Lane, List<FrameSink>> open = new LinkedHashMap<>();
        private final Thread thread;
        private volatile boolean done;

        SinkWorker() {
            thread = new Thread(this::loop, "peopleseg-sinks");
        }

        void start() {
            thread.start();
        }

        void put(FrameResult r, Lane lane) throws InterruptedException {
            queue.put(() -> write(lane, r));
        }

        void endOf(Lane lane) {
            try {
                queue.put(() -> closeSinks(lane));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeSinks(lane);
            }
        }

        void finish() {
            try {
                queue.put(() -> done = true);
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void loop() {
            while (!done) {
                try {
                    queue.take().run();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    warn("output failed: " + e); // write() and closeSinks() catch per sink; this is a bug
                }
            }
        }

        private void write(Lane lane, FrameResult r) {
            List<FrameSink> sinks = open.get(lane);
            if (sinks == null) {
                try {
                    double fps = lane.fps > 0 ? lane.fps : lane.spec.imageFrameRate();
                    sinks = new ArrayList<>(sinkFactory.open(lane.spec, r.frame().width(), r.frame().height(), fps));
                } catch (IOException | RuntimeException e) {
                    String problem = lane.spec.name() + ": cannot create the outputs: " + e.getMessage();
                    warn(problem);
                    if (lane.error == null) {
                        lane.error = problem; // the summary (and exit code) must not report success
                    }
                    lane.outputFailed = true;
                    sinks = new ArrayList<>();
                }
                open.put(lane, sinks);
            }
            if (lane.outputFailed) {
                return; // nothing of this source is written any more
            }
            for (var it = sinks.iterator(); it.hasNext(); ) {
                FrameSink sink = it.next();
                try {
                    sink.write(r);
                } catch (IOException | RuntimeException e) {
                    warn(lane.spec.name() + ": " + e.getMessage() + "; that output is closed with the frames so far");
                    closeQuietly(lane, sink);
                    it.remove();
                }
            }
            lane.stats.recordWritten(r.frame().readNanos(), System.nanoTime());
        }

        private void closeSinks(Lane lane) {
            List<FrameSink> sinks = open.remove(lane);
            if (sinks != null) {
                for (FrameSink sink : sinks) {
                    closeQuietly(lane, sink);
                }
            }
        }

        private void closeQuietly(Lane lane, FrameSink sink) {
            try {
                sink.close();
                if (sink.file() != null) {
                    lane.outputs.add(sink.file().toString());
                }
            } catch (IOException | RuntimeException e) {
                warn(lane.spec.name() + ": " + e.getMessage());
            }
        }
    }
}
