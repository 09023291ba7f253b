package org.peopleseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** Statistics, progress lines and error messages. */
class ReportingTest {

    @Test
    void latencyPercentilesAreNearestRank() {
        long[] nanos = new long[100];
        for (int i = 0; i < 100; i++) {
            nanos[i] = (100 - i) * 1_000_000L; // 100 ms .. 1 ms, unsorted
        }
        LatencyStats s = LatencyStats.ofNanos(nanos);
        assertEquals(1, s.min(), 1e-9);
        assertEquals(50.5, s.median(), 1e-9);
        assertEquals(50.5, s.mean(), 1e-9);
        assertEquals(90, s.p90(), 1e-9);
        assertEquals(95, s.p95(), 1e-9);
        assertEquals(99, s.p99(), 1e-9);
        assertEquals(100, s.max(), 1e-9);
        LatencyStats three = LatencyStats.ofNanos(new long[] {3_000_000, 1_000_000, 2_000_000});
        assertEquals(2, three.median(), 1e-9);
        assertEquals(3, three.p90(), 1e-9);
    }

    @Test
    void plainProgressPrintsALineEveryFewImages() {
        StringWriter buf = new StringWriter();
        Progress p = new Progress(new PrintWriter(buf), 100, false);
        for (int i = 1; i <= 100; i++) {
            p.update(i, 0, i * 2L);
        }
        p.finish();
        String[] lines = buf.toString().split("\n");
        assertEquals(20, lines.length, buf.toString());
        assertTrue(lines[19].startsWith("[100/100] 100.0%"), lines[19]);
        assertTrue(lines[19].contains("200 people"), lines[19]);
        assertTrue(buf.toString().chars().allMatch(c -> c < 128), "plain ASCII");
    }

    @Test
    void terminalProgressRedrawsOneLine() {
        StringWriter buf = new StringWriter();
        Progress p = new Progress(new PrintWriter(buf), 3, true);
        p.update(1, 0, 0);
        p.message("FAILED x.jpg: broken");
        p.update(2, 1, 0);
        p.update(3, 1, 0);
        p.finish();
        String s = buf.toString();
        assertTrue(s.contains("FAILED x.jpg: broken\n"), s);
        assertTrue(s.contains("[########################] 3/3"), s);
        assertTrue(s.endsWith("\n"), s);
    }

    @Test
    void fileErrorsNameTheFileAndTheProblem() {
        assertEquals("a.jpg: no such file or directory", ErrorMessages.describe(new NoSuchFileException("a.jpg")));
        assertEquals("m.onnx: no such model file", ErrorMessages.describe(new NoSuchFileException("m.onnx", null, "no such model file")));
        assertEquals("out: permission denied", ErrorMessages.describe(new AccessDeniedException("out")));
        assertEquals("b.jpg: no such file or directory",
                ErrorMessages.describe(new UncheckedIOException(new NoSuchFileException("b.jpg"))));
        assertEquals("first line [...]", ErrorMessages.describe(new IllegalStateException("first line\nsecond")));
        assertEquals("IllegalStateException", ErrorMessages.describe(new IllegalStateException()));
    }
}
