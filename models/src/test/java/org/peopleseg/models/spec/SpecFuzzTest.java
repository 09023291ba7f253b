package org.peopleseg.models.spec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the TAO spec parser and resolver (README "Fuzzing"): spec text in, the model
 * configuration out. Documented outcome: {@link SpecParser#parse(String, String)} returns a spec or throws
 * {@link SpecException} listing its problems (each with a message); {@link SpecResolver#resolve} of a spec that
 * parsed does not throw at all. Anything else (an {@link OutOfMemoryError}, a {@link StackOverflowError} from deep
 * nesting, an input taking over a second) is a finding.
 *
 * <p>Seeds: the model card's spec (test resources) and what {@link SpecWriter} writes for it and for the
 * torchvision preset, made here so they always match the writer.
 */
class SpecFuzzTest {

    static Stream<byte[]> writtenSpecs() throws SpecException {
        return Stream.of(SpecTestSupport.cardText(),
                        SpecWriter.render(SpecResolver.resolve(SpecTestSupport.card())),
                        SpecWriter.render(TorchvisionPreset.maskrcnnResnet50Fpn(800, 1333, 2)))
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    @MethodSource("writtenSpecs")
    @FuzzTest
    void parseAndResolve(byte[] input) {
        TaoSpec spec;
        try {
            spec = SpecParser.parse(new String(input, StandardCharsets.UTF_8), "fuzz.txt");
        } catch (SpecException e) {
            if (e.problems().isEmpty() || e.problems().stream().anyMatch(p -> p.message() == null || p.message().isBlank())) {
                throw new AssertionError("refused without saying why", e);
            }
            return;
        }
        SpecResolver.resolve(spec);
    }
}
