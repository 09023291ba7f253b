package org.peopleseg.models.spec;

import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.peopleseg.models.spec.proto.Experiment;

/**
 * Reads a TAO MaskRCNN experiment spec: protobuf text format (which accepts TAO's {@code True}/{@code False} and
 * {@code #} comments), then the tuple strings, then the semantic rules. Any failure is a {@link SpecException}
 * whose problems carry file, line and column; success is a {@link TaoSpec} that resolves without further errors.
 */
public final class SpecParser {

    private SpecParser() {}

    /** Parses the spec file at {@code file}; messages name it as given. */
    public static TaoSpec parse(Path file) throws IOException, SpecException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Parses spec text.
     *
     * @param source a name for the text in messages (usually the file name)
     */
    public static TaoSpec parse(String text, String source) throws SpecException {
        Experiment.Builder builder = Experiment.newBuilder();
        try {
            TextFormat.getParser().merge(text, builder);
        } catch (TextFormat.ParseException e) {
            throw new SpecException(SyntaxErrors.describe(e, text, source));
        }
        Experiment experiment = builder.build();
        Problems problems = new Problems(source, SourceMap.scan(text));
        TaoSpec.Tuples tuples = TupleFields.read(experiment, problems);
        SpecValidator.validate(experiment, tuples, problems);
        problems.throwIfAny();
        return new TaoSpec(source, text, experiment, tuples);
    }
}
