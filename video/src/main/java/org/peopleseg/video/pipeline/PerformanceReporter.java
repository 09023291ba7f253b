package org.peopleseg.video.pipeline;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.peopleseg.core.sys.ProcessMemory;

/**
 * Prints one line per source every few seconds while a stream runs, e.g.
 * <pre>[perf] vtest: 14.2 fps, inference p50 62 ms p95 71 ms, latency p50 95 ms p95 130 ms, dropped 0 (total 0)</pre>
 * <pre>[perf] process: rss 512 MiB, peak 530 MiB, heap 40 MiB</pre>
 * Rates and percentiles cover the last window only, so a slowdown shows at once instead of being averaged away;
 * the process line makes a soak run's memory curve readable from the log.
 */
final class PerformanceReporter {

    /** What the reporter reads of a source. */
    record Probe(SourceStats stats, LongSupplier dropped, BooleanSupplier ended) {}

    private final ScheduledExecutorService timer;
    private final PrintWriter log;
    private final Map<String, Probe> probes;
    private final Map<String, long[]> previous = new HashMap<>(); // written, dropped, nanos

    private PerformanceReporter(ScheduledExecutorService timer, PrintWriter log, Map<String, Probe> probes) {
        this.timer = timer;
        this.log = log;
        this.probes = probes;
    }

    static PerformanceReporter start(double seconds, PrintWriter log, Map<String, Probe> probes) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "peopleseg-perf");
            t.setDaemon(true);
            return t;
        });
        PerformanceReporter p = new PerformanceReporter(timer, log, probes);
        long ms = Math.max(100, Math.round(seconds * 1000));
        long now = System.nanoTime();
        probes.forEach((name, probe) -> p.previous.put(name, new long[] {0, 0, now}));
        timer.scheduleAtFixedRate(p::report, ms, ms, TimeUnit.MILLISECONDS);
        return p;
    }

    private void report() {
        long now = System.nanoTime();
        StringBuilder sb = new StringBuilder();
        probes.forEach((name, probe) -> {
            long written = probe.stats().framesWritten.get();
            long dropped = probe.dropped().getAsLong();
            long[] prev = previous.get(name);
            if (probe.ended().getAsBoolean() && written == prev[0]) {
                return; // finished sources fall silent
            }
            double secs = (now - prev[2]) / 1e9;
            LatencyHistogram.Percentiles inf = probe.stats().windowInference.snapshotAndReset();
            LatencyHistogram.Percentiles lat = probe.stats().windowLatency.snapshotAndReset();
            sb.append(String.format(Locale.ROOT,
                    "[perf] %s: %.1f fps, inference p50 %.0f ms p95 %.0f ms, latency p50 %.0f ms p95 %.0f ms, "
                            + "dropped %d (total %d)%n",
                    name, (written - prev[0]) / secs, inf.p50(), inf.p95(), lat.p50(), lat.p95(), dropped - prev[1],
                    dropped));
            previous.put(name, new long[] {written, dropped, now});
        });
        ProcessMemory mem = ProcessMemory.read();
        sb.append(String.format(Locale.ROOT, "[perf] process: rss %.0f MiB, peak %.0f MiB, heap %.0f MiB%n",
                ProcessMemory.mib(mem.rssBytes()), ProcessMemory.mib(mem.peakBytes()),
                ProcessMemory.mib(mem.heapUsedBytes())));
        if (sb.length() > 0) {
            synchronized (log) {
                log.print(sb);
                log.flush();
            }
        }
    }

    void stop() {
        timer.shutdownNow();
    }
}
