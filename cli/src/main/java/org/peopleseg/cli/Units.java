package org.peopleseg.cli;

import java.util.Locale;

/** How sizes, durations and rates are shown to users. */
final class Units {
    private Units() {}

    /** "169.9 MB" (10^6 bytes, as file managers and {@code ls -h --si} show them). */
    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** "2.31 s" or "850 ms". */
    static String seconds(long nanos) {
        double s = nanos / 1e9;
        return s < 1 ? String.format(Locale.ROOT, "%.0f ms", s * 1000) : String.format(Locale.ROOT, "%.2f s", s);
    }

    /** "1:05" or "1:02:05" for an estimated remaining time. */
    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Milliseconds with 1 decimal. */
    static String millis(double ms) {
        return String.format(Locale.ROOT, "%.1f", ms);
    }
}
