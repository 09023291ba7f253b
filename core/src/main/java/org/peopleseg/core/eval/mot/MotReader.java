package org.peopleseg.core.eval.mot;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads MOTChallenge text files: one box per line, {@code frame,id,x,y,w,h[,conf[,x,y,z]]}, comma- or
 * whitespace-separated, blank lines allowed. Frame and id must be integers (written {@code 3} or {@code 3.0}).
 *
 * <p>Ground truth and tracker output differ only in the 7th column. In ground truth it is MOTChallenge's "consider"
 * flag: rows with 0 are not evaluated and are dropped here (their boxes neither need to be found nor make a
 * hypothesis on them wrong — MOT15 style; MOT16+'s distractor classes are not handled); 1 and -1 (older sequences
 * such as PETS2009 use -1) are normal objects, as is a missing column. In tracker output every row is kept and the
 * column is the score.
 *
 * <p>An id twice in one frame is an error, not a guess: a detection file (ids all -1) given as tracks is the usual
 * cause, and the metrics of such input would mean nothing.
 */
public final class MotReader {
    /** Which kind of file is read: decides what the 7th column means. */
    public enum Kind { GROUND_TRUTH, HYPOTHESES }

    private MotReader() {
    }

    public static MotSequence readGroundTruth(Path file) throws IOException {
        return read(file, Kind.GROUND_TRUTH);
    }

    public static MotSequence readHypotheses(Path file) throws IOException {
        return read(file, Kind.HYPOTHESES);
    }

    /** @throws MotFormatException naming the file and line of the first malformed row */
    public static MotSequence read(Path file, Kind kind) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.toString(), in, kind);
        }
    }

    /** @param source the name used in error messages */
    public static MotSequence parse(String source, Reader reader, Kind kind) throws IOException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        List<MotRecord> records = new ArrayList<>();
        Map<Long, Integer> lineOfFrameId = new HashMap<>();
        int ignored = 0;
        int lineNo = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNo++;
            String text = lineNo == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line;
            text = text.strip();
            if (text.isEmpty()) {
                continue;
            }
            double[] v = numbers(source, lineNo, text);
            int frame = integer(source, lineNo, "frame", v[0]);
            int id = integer(source, lineNo, "id", v[1]);
            if (frame < 0) {
                throw new MotFormatException(source, lineNo, "frame must be 0 or more, got " + frame);
            }
            if (v[4] < 0 || v[5] < 0) {
                throw new MotFormatException(source, lineNo, "box width and height must be >= 0, got " + fmt(v[4])
                        + " x " + fmt(v[5]));
            }
            double score = v.length > 6 ? v[6] : 1;
            if (kind == Kind.GROUND_TRUTH && score == 0) {
                ignored++;
                continue;
            }
            Integer first = lineOfFrameId.putIfAbsent(((long) frame << 32) | (id & 0xffffffffL), lineNo);
            if (first != null) {
                throw new MotFormatException(source, lineNo, "id " + id + " appears twice in frame " + frame
                        + " (first on line " + first + ")" + (kind == Kind.HYPOTHESES
                        ? "; tracks need one id per object per frame (is this a detection file?)" : ""));
            }
            records.add(new MotRecord(frame, id, v[2], v[3], v[4], v[5], score));
        }
        return MotSequence.of(source, records, ignored);
    }

    private static double[] numbers(String source, int lineNo, String text) throws MotFormatException {
        String[] fields = text.indexOf(',') >= 0 ? text.split(",", -1) : text.split("\\s+");
        if (fields.length < 6) {
            throw new MotFormatException(source, lineNo, "expected at least 6 numbers (frame,id,x,y,w,h), got "
                    + fields.length);
        }
        double[] v = new double[fields.length];
        for (int i = 0; i < fields.length; i++) {
            String f = fields[i].strip();
            try {
                v[i] = Double.parseDouble(f);
            } catch (NumberFormatException e) {
                v[i] = Double.NaN;
            }
            if (!Double.isFinite(v[i]) || f.isEmpty()) {
                throw new MotFormatException(source, lineNo, "column " + (i + 1) + " is not a number: '" + f + "'");
            }
        }
        return v;
    }

    private static int integer(String source, int lineNo, String what, double v) throws MotFormatException {
        if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new MotFormatException(source, lineNo, what + " must be an integer, got " + fmt(v));
        }
        return (int) v;
    }

    static String fmt(double v) {
        return MotWriter.number(v);
    }
}
