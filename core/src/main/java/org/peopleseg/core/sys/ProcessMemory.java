package org.peopleseg.core.sys;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A memory sample of this process. Resident set size from {@code /proc/self/status} (Linux): current
 * ({@code VmRSS}) and the peak since start ({@code VmHWM}, "high water mark"); RSS counts native memory too
 * (ONNX Runtime's arenas), which the JVM's heap figures miss. The Java heap in use and committed, from the JVM.
 * -1 where a figure is unknown (no /proc).
 *
 * <p>The JVM grows its heap lazily up to -Xmx, so RSS alone rises over the first runs without any leak;
 * {@link #afterGc()} collects garbage first, so that samples taken at different times compare: a leak shows as
 * heap-in-use or RSS that keeps growing from one sample to the next.
 */
public record ProcessMemory(long rssBytes, long peakBytes, long heapUsedBytes, long heapCommittedBytes) {
    private static final Path STATUS = Path.of("/proc/self/status");

    /** A sample after a full garbage collection. */
    public static ProcessMemory afterGc() {
        System.gc();
        return read();
    }

    public static ProcessMemory read() {
        long rss = -1;
        long hwm = -1;
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    rss = kilobytes(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kilobytes(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: unknown
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new ProcessMemory(rss, hwm, heap.getUsed(), heap.getCommitted());
    }

    /** "VmRSS:	  123456 kB" -> bytes. */
    public static long kilobytes(String line) {
        String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        return Long.parseLong(parts[0]) * 1024;
    }

    /** Mebibytes, NaN when unknown. */
    public static double mib(long bytes) {
        return bytes < 0 ? Double.NaN : bytes / (1024.0 * 1024.0);
    }
}
