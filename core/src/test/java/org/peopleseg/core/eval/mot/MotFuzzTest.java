package org.peopleseg.core.eval.mot;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the MOTChallenge reader (README "Fuzzing"), as ground truth and as tracker output.
 * Documented outcome: a sequence, or {@link MotFormatException} (an {@link IOException}) naming the line and the
 * problem. Anything else, an {@link OutOfMemoryError} included, or an input taking over a second, is a finding.
 * Seeds: what {@link MotWriter} writes, plus a ground-truth file with the "consider" column and odd spacing.
 */
class MotFuzzTest {

    static Stream<byte[]> writtenSequences() throws IOException {
        StringWriter out = new StringWriter();
        MotWriter.write(out, List.of(MotRecord.of(1, 1, 10, 20, 30, 40), MotRecord.of(1, 2, 50.5, 60, 7, 8),
                new MotRecord(2, 1, 11, 21, 30, 40, 0.75)));
        return Stream.of(out.toString(), "\uFEFF1,1,10,20,30,40,1,-1,-1,-1\n\n2 1 11 21 30 40 0\n3,2,5.0,5,5,5,-1\n")
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    @MethodSource("writtenSequences")
    @FuzzTest
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        for (MotReader.Kind kind : MotReader.Kind.values()) {
            try {
                MotReader.parse("fuzz.txt", new StringReader(text), kind);
            } catch (IOException e) {
                if (e.getMessage() == null || e.getMessage().isBlank()) {
                    throw new AssertionError("refused without a message", e);
                }
            }
        }
    }
}
