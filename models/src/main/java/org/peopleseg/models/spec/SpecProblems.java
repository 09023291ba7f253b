package org.peopleseg.models.spec;

/**
 * Problems found in an already parsed spec by code outside this package (the trainer's check of the training
 * fields), placed at the field's line and column exactly as the parser places its own.
 */
public final class SpecProblems {

    private final Problems problems;
    private final SourceMap map;
    private final String source;

    public SpecProblems(TaoSpec spec) {
        this.map = SourceMap.scan(spec.text());
        this.source = spec.source();
        this.problems = new Problems(spec.source(), map);
    }

    /** {@code FILE:LINE:COLUMN} of the value of {@code path}, for a note about a written field; FILE when not written. */
    public String where(String path) {
        return map.field(path).map(e -> source + ":" + e.value().line() + ":" + e.value().column()).orElse(source);
    }

    /**
     * Whether {@code path} is written in the text. proto3 reads an absent number as 0; the trainer needs to tell
     * "not written" (use a default) from "written as 0".
     */
    public boolean isWritten(String path) {
        return map.field(path).isPresent();
    }

    /** A problem with the value of {@code path} (e.g. {@code maskrcnn_config.freeze_blocks}). */
    public void field(String path, String message) {
        problems.field(path, message);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** @throws SpecException listing every problem, in the order of the text */
    public void throwIfAny() throws SpecException {
        problems.throwIfAny();
    }
}
