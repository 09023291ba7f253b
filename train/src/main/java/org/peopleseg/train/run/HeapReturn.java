package org.peopleseg.train.run;

import java.util.Locale;
import org.peopleseg.core.sys.ProcessMemory;

/**
 * The full collection both trainers run after a checkpoint. A step makes MBs of short-lived Java arrays (state dicts,
 * packages, evaluations, image canvases) and G1, left alone, keeps the heap it grew for them committed for many
 * steps, so RSS climbs far above the live set (README, "Memory over a long run" and run E). Collecting at a point that
 * waits on disk anyway lets G1 uncommit it.
 */
public final class HeapReturn {
    private HeapReturn() {}

    /**
     * Collects and describes the heap afterwards, e.g. {@code Java heap 13 MB in use of 68 MB committed (full GC
     * 0.10 s)}. No RSS: G1 uncommits in the background after the collection, so RSS falls during the next step.
     */
    public static String collect() {
        long t0 = System.nanoTime();
        ProcessMemory m = ProcessMemory.afterGc();
        return String.format(Locale.ROOT, "Java heap %.0f MB in use of %.0f MB committed (full GC %.2f s)",
                ProcessMemory.mib(m.heapUsedBytes()), ProcessMemory.mib(m.heapCommittedBytes()),
                (System.nanoTime() - t0) / 1e9);
    }
}
