package org.peopleseg.core.eval.mot;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.peopleseg.core.io.AtomicFiles;

/**
 * Writes tracker output in the MOTChallenge text format that {@link MotReader}, py-motmetrics, TrackEval and the
 * MOTChallenge devkit read: {@code frame,id,x,y,w,h,score,-1,-1,-1}, sorted by frame then id, numbers in their
 * shortest exact decimal form.
 */
public final class MotWriter {
    private MotWriter() {
    }

    /** Replaces {@code file} atomically: a reader never sees half a file. */
    public static void write(Path file, Collection<MotRecord> records) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            write(w, records);
            w.flush();
        });
    }

    public static void write(Writer out, Collection<MotRecord> records) throws IOException {
        List<MotRecord> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparingInt(MotRecord::frame).thenComparingInt(MotRecord::id));
        for (MotRecord r : sorted) {
            out.write(line(r));
            out.write('\n');
        }
    }

    /** One row, without the line end. */
    public static String line(MotRecord r) {
        return r.frame() + "," + r.id() + "," + number(r.x()) + "," + number(r.y()) + "," + number(r.width()) + ","
                + number(r.height()) + "," + number(r.score()) + ",-1,-1,-1";
    }

    /** Shortest decimal that reads back as the same double, without exponent or trailing zeros. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
