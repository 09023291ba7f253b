package org.peopleseg.models.spec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Collects the problems of one spec, each placed as precisely as the text allows: at a character inside a quoted
 * tuple, at a field's value, or, for a field that is missing, at the section that should contain it.
 */
final class Problems {

    private final String source;
    private final SourceMap map;
    private final List<SpecException.Problem> list = new ArrayList<>();

    Problems(String source, SourceMap map) {
        this.source = source;
        this.map = map;
    }

    /** A problem with the value of {@code path}, placed at the value (or the section, if the field is not written). */
    void field(String path, String message) {
        Optional<SourceMap.Entry> entry = map.field(path);
        if (entry.isPresent()) {
            add(entry.get().value(), message);
        } else {
            missing(path, message);
        }
    }

    /** A field that should be there and is not: placed at the nearest enclosing section written in the text. */
    void missing(String path, String message) {
        String parent = path;
        while (parent.contains(".")) {
            parent = parent.substring(0, parent.lastIndexOf('.'));
            Optional<SourceMap.Entry> section = map.field(parent);
            if (section.isPresent()) {
                add(section.get().name(), message);
                return;
            }
        }
        add(null, message);
    }

    /** A problem at character {@code index} of the string value of {@code path}. */
    void inString(String path, int index, String message) {
        Optional<SourceMap.Position> p = map.charInString(path, index);
        if (p.isPresent()) {
            add(p.get(), message);
        } else {
            missing(path, message);
        }
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    void throwIfAny() throws SpecException {
        if (!list.isEmpty()) {
            List<SpecException.Problem> sorted = new ArrayList<>(list);
            sorted.sort(Comparator.comparingInt((SpecException.Problem p) -> p.line() <= 0 ? Integer.MAX_VALUE : p.line())
                    .thenComparingInt(SpecException.Problem::column));
            throw new SpecException(sorted);
        }
    }

    private void add(SourceMap.Position p, String message) {
        list.add(p == null ? new SpecException.Problem(source, 0, 0, message)
                : new SpecException.Problem(source, p.line(), p.column(), message));
    }
}
