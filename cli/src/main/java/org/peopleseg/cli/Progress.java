package org.peopleseg.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a run over N images on standard error. On a terminal: one bar redrawn in place
 * ({@code [########------------]  40/100  0.84 img/s  ETA 1:11}); otherwise (a log file, a CI job) a plain line
 * every few images, so logs stay readable. Messages about single images go through {@link #message}, which keeps
 * them from being drawn over.
 */
final class Progress {
    private static final int BAR_WIDTH = 24;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final int total;
    private final boolean terminal;
    private final int every;
    private final long start = System.nanoTime();
    private long lastDraw;
    private boolean barShown;

    /** @param terminal draw a bar in place (stderr is an interactive console) rather than plain lines */
    Progress(PrintWriter err, int total, boolean terminal) {
        this.err = err;
        this.total = total;
        this.terminal = terminal;
        this.every = Math.max(1, Math.min(25, total / 20));
    }

    /** Whether a console is attached: {@code System.console()} is null when input or output is redirected. */
    static boolean interactive() {
        return System.console() != null;
    }

    /** After each image: done so far (processed or failed), failures, people found. */
    void update(int done, int failed, long people) {
        long now = System.nanoTime();
        if (terminal) {
            if (done == total || now - lastDraw >= REDRAW_NANOS) {
                err.print("\r" + line(done, failed, people, now) + "\u001b[K");
                err.flush();
                barShown = true;
                lastDraw = now;
            }
        } else if (done % every == 0 || done == total) {
            err.println(line(done, failed, people, now));
            err.flush();
        }
    }

    /** A message on its own line (an image that failed), not mixed into the bar. */
    void message(String text) {
        if (barShown) {
            err.print("\r\u001b[K");
            barShown = false;
        }
        err.println(text);
        err.flush();
    }

    /** Ends the bar's line. */
    void finish() {
        if (barShown) {
            err.println();
            err.flush();
            barShown = false;
        }
    }

    String line(int done, int failed, long people, long now) {
        double secs = (now - start) / 1e9;
        double rate = secs > 0 ? done / secs : 0;
        String eta = rate > 0 && done < total ? "  ETA " + Units.clock((total - done) / rate) : "";
        int width = String.valueOf(total).length();
        String counts = String.format(Locale.ROOT, "%" + width + "d/%d", done, total);
        String stats = String.format(Locale.ROOT, "  %.2f img/s  %d people%s%s", rate, people,
                failed > 0 ? "  " + failed + " failed" : "", eta);
        if (terminal) {
            int filled = total == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * done / total);
            return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] " + counts + stats;
        }
        return String.format(Locale.ROOT, "[%s] %5.1f%%", counts, total == 0 ? 100.0 : 100.0 * done / total) + stats;
    }
}
