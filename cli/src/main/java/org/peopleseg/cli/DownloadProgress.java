package org.peopleseg.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.peopleseg.models.catalog.TransferListener;

/**
 * A download's progress on standard error, drawn like {@link Progress}: on a terminal one bar redrawn in place
 * ({@code [#########-----------]  1.6/3.7 MB  2.1 MB/s  ETA 0:01}), otherwise a plain line every 10% (logs, CI).
 */
final class DownloadProgress implements TransferListener {
    private static final int BAR_WIDTH = 24;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private long start;
    private long startBytes;
    private long lastDraw;
    private int lastDecile = -1;
    private boolean barShown;

    DownloadProgress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public void started(String url, long offset, long total) {
        start = System.nanoTime();
        startBytes = offset;
        lastDecile = -1;
        message((offset > 0 ? "Resuming at " + Units.megabytes(offset) + ": " : "Downloading ") + url
                + (total > 0 ? " (" + Units.megabytes(total) + ")" : ""));
    }

    @Override
    public void progress(long done, long total) {
        long now = System.nanoTime();
        if (terminal) {
            if (done == total || now - lastDraw >= REDRAW_NANOS) {
                err.print("\r" + line(done, total, now) + "\u001b[K");
                err.flush();
                barShown = true;
                lastDraw = now;
            }
            return;
        }
        int decile = total > 0 ? (int) (10 * done / total) : (int) (done / 10_000_000);
        if (decile != lastDecile) {
            lastDecile = decile;
            err.println(line(done, total, now));
            err.flush();
        }
    }

    @Override
    public void message(String text) {
        if (barShown) {
            err.print("\r\u001b[K");
            barShown = false;
        }
        err.println(text);
        err.flush();
    }

    @Override
    public void finished() {
        if (barShown) {
            err.println();
            err.flush();
            barShown = false;
        }
    }

    String line(long done, long total, long now) {
        double secs = (now - start) / 1e9;
        double rate = secs > 0 ? (done - startBytes) / secs : 0;
        String size = total > 0 ? String.format(Locale.ROOT, "%.1f/%.1f MB", done / 1e6, total / 1e6)
                : String.format(Locale.ROOT, "%.1f MB", done / 1e6);
        String eta = rate > 0 && total > done ? "  ETA " + Units.clock((total - done) / rate) : "";
        String stats = String.format(Locale.ROOT, "  %.2f MB/s%s", rate / 1e6, eta);
        if (terminal) {
            int filled = total <= 0 ? 0 : (int) ((long) BAR_WIDTH * done / total);
            return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] " + size + stats;
        }
        return String.format(Locale.ROOT, "[%5.1f%%] ", total > 0 ? 100.0 * done / total : 0.0) + size + stats;
    }
}
