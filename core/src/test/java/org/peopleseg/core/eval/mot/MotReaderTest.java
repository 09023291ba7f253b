package org.peopleseg.core.eval.mot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MotReaderTest {

    private static MotSequence gt(String text) throws IOException {
        return MotReader.parse("gt.txt", new StringReader(text), MotReader.Kind.GROUND_TRUTH);
    }

    private static MotSequence hyp(String text) throws IOException {
        return MotReader.parse("tracks.txt", new StringReader(text), MotReader.Kind.HYPOTHESES);
    }

    private static String error(String text, MotReader.Kind kind) {
        return assertThrows(MotFormatException.class,
                () -> MotReader.parse(kind == MotReader.Kind.GROUND_TRUTH ? "gt.txt" : "tracks.txt",
                        new StringReader(text), kind)).getMessage();
    }

    @Test
    void readsCommasWhitespaceBlankLinesAndShortRows() throws IOException {
        MotSequence s = hyp("""
                1,2,10.5,20,30,40,0.9,-1,-1,-1

                1 3 0 0 5 5
                2,\t2, 11.0 ,21,30,40,0.8
                """);
        assertEquals(3, s.boxes());
        assertEquals(2, s.ids());
        assertEquals(List.of(1, 2), List.copyOf(s.frames()));
        assertEquals(new MotRecord(1, 2, 10.5, 20, 30, 40, 0.9), s.frame(1).get(0));
        assertEquals(1.0, s.frame(1).get(1).score()); // no 7th column
        assertEquals(List.of(), s.frame(7));
    }

    @Test
    void groundTruthFlagZeroIsDroppedMinusOneKept() throws IOException {
        MotSequence s = gt("""
                1,1,0,0,10,10,-1,-1,-1,-1
                1,2,0,0,10,10,0,-1,-1,-1
                1,3,0,0,10,10,1,1,1.0
                """);
        assertEquals(2, s.boxes());
        assertEquals(1, s.ignoredRows());
        assertEquals(List.of(1, 3), s.frame(1).stream().map(MotRecord::id).toList());
    }

    @Test
    void integralFloatIdsAreFine() throws IOException {
        assertEquals(4, hyp("1.0,4.0,0,0,1,1").frame(1).get(0).id());
    }

    @Test
    void errorsNameFileAndLine() {
        assertEquals("gt.txt:2: expected at least 6 numbers (frame,id,x,y,w,h), got 4",
                error("1,1,0,0,10,10\n1,2,3,4\n", MotReader.Kind.GROUND_TRUTH));
        assertEquals("tracks.txt:1: column 3 is not a number: 'abc'",
                error("1,1,abc,0,10,10", MotReader.Kind.HYPOTHESES));
        assertEquals("tracks.txt:1: column 3 is not a number: ''",
                error("1,1,,0,10,10", MotReader.Kind.HYPOTHESES));
        assertEquals("tracks.txt:1: id must be an integer, got 1.5",
                error("1,1.5,0,0,10,10", MotReader.Kind.HYPOTHESES));
        assertEquals("tracks.txt:1: frame must be 0 or more, got -3",
                error("-3,1,0,0,10,10", MotReader.Kind.HYPOTHESES));
        assertEquals("gt.txt:1: box width and height must be >= 0, got -10 x 10",
                error("1,1,0,0,-10,10", MotReader.Kind.GROUND_TRUTH));
        assertEquals("tracks.txt:1: column 5 is not a number: 'NaN'",
                error("1,1,0,0,NaN,10", MotReader.Kind.HYPOTHESES));
    }

    @Test
    void duplicateIdInAFrameIsAnError() {
        String message = error("1,-1,0,0,10,10,0.9\n1,-1,50,0,10,10,0.8\n", MotReader.Kind.HYPOTHESES);
        assertTrue(message.startsWith("tracks.txt:2: id -1 appears twice in frame 1 (first on line 1)"), message);
        assertTrue(message.contains("detection file"), message);
    }

    @Test
    void missingFileIsTheJdkException(@TempDir Path dir) {
        assertThrows(NoSuchFileException.class, () -> MotReader.readGroundTruth(dir.resolve("nope.txt")));
    }

    @Test
    void writerRoundTrips(@TempDir Path dir) throws IOException {
        List<MotRecord> records = List.of(new MotRecord(2, 1, 0.1, 2, 3.25, 4, 0.5),
                new MotRecord(1, 7, 100, 200.5, 30, 60, 1), new MotRecord(1, 3, 1e-7, 1e6, 0, 0, 0));
        Path file = dir.resolve("out/tracks.txt");
        MotWriter.write(file, records);
        List<String> lines = Files.readAllLines(file);
        assertEquals(List.of("1,3,0.0000001,1000000,0,0,0,-1,-1,-1", "1,7,100,200.5,30,60,1,-1,-1,-1",
                "2,1,0.1,2,3.25,4,0.5,-1,-1,-1"), lines);
        MotSequence back = MotReader.readHypotheses(file);
        assertEquals(3, back.boxes());
        assertEquals(records.get(0), back.frame(2).get(0));
        assertEquals(records.get(2), back.frame(1).get(0));
        StringWriter w = new StringWriter();
        MotWriter.write(w, back.records());
        assertEquals(String.join("\n", lines) + "\n", w.toString());
    }
}
