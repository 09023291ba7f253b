package org.peopleseg.models.spec;

import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.peopleseg.models.spec.proto.DataConfig;
import org.peopleseg.models.spec.proto.Experiment;

/**
 * Reads a TAO MaskRCNN experiment spec: protobuf text format (which accepts TAO's {@code True}/{@code False} and
 * {@code #} comments), then the tuple strings, then the semantic rules. Any failure is a {@link SpecException}
 * whose problems carry file, line and column; success is a {@link TaoSpec} that resolves without further errors.
 */
public final class SpecParser {

    /** PeopleSegNet's input, TAO's "(height, width)": used when a spec has no data_config (the card's snippet). */
    public static final String PEOPLESEGNET_IMAGE_SIZE = "(576, 960)";
    /** Background + person. */
    public static final int PEOPLESEGNET_NUM_CLASSES = 2;

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
        List<String> notes = new ArrayList<>();
        if (!builder.hasDataConfig() && builder.hasMaskrcnnConfig()) {
            // The model card prints only maskrcnn_config; TAO would fail on the missing data_config, peopleseg
            // completes it with PeopleSegNet's own data settings and says so.
            builder.setDataConfig(DataConfig.newBuilder().setImageSize(PEOPLESEGNET_IMAGE_SIZE)
                    .setNumClasses(PEOPLESEGNET_NUM_CLASSES));
            notes.add("data_config is not in the spec: using PeopleSegNet's data defaults, image_size \""
                    + PEOPLESEGNET_IMAGE_SIZE + "\" (960x576) and num_classes " + PEOPLESEGNET_NUM_CLASSES
                    + " (background + person)");
        }
        Experiment experiment = builder.build();
        Problems problems = new Problems(source, SourceMap.scan(text));
        TaoSpec.Tuples tuples = TupleFields.read(experiment, problems);
        SpecValidator.validate(experiment, tuples, problems);
        problems.throwIfAny();
        return new TaoSpec(source, text, experiment, tuples, notes);
    }
}
