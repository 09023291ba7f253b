package org.peopleseg.models.spec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A spec that cannot be used, with every problem found and where it is: {@code spec.txt:12:19: message}, the form
 * compilers use, so editors and terminals can jump to the place. Parsing reports the first syntax error only (the
 * protobuf text parser stops there); validation reports all semantic problems at once, so a user fixes a spec in
 * one round instead of one error per run.
 */
public final class SpecException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public SpecException(List<Problem> problems) {
        super(render(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a SpecException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public SpecException(Problem problem) {
        this(List.of(problem));
    }

    /** The problems, in the order of the text where they have a position. */
    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
    }

    /**
     * One problem in one spec.
     *
     * @param source  file name (or another label for where the text came from)
     * @param line    1-based line, 0 when the problem has no place in the text (a missing section)
     * @param column  1-based column (characters, a tab counts one), 0 when unknown
     * @param message what is wrong and, where it helps, what would be right
     */
    public record Problem(String source, int line, int column, String message) {
        @Override
        public String toString() {
            if (line <= 0) {
                return source + ": " + message;
            }
            return source + ":" + line + ":" + column + ": " + message;
        }
    }
}
