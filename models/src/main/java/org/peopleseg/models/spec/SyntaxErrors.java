package org.peopleseg.models.spec;

import org.peopleseg.core.text.EditDistance;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.TextFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.peopleseg.models.spec.proto.Experiment;

/**
 * Turns protobuf's text-format errors into messages a spec author can act on. protobuf says
 * {@code Input contains unknown fields and/or extensions: 12:5: peopleseg.tao.MaskRCNNConfig.nlayer}; this says
 * {@code spec.txt:12:5: unknown field 'nlayer' in maskrcnn_config; did you mean 'nlayers'?}. A bad value names the
 * field it was meant for and the text found.
 */
final class SyntaxErrors {

    private SyntaxErrors() {}

    private static final Pattern POSITION_PREFIX = Pattern.compile("^-?\\d+:-?\\d+: ");
    private static final Pattern UNKNOWN_LINE = Pattern.compile("^(\\d+):(\\d+):\\s*([\\w.]+)\\.(\\w+)$");
    private static final Pattern NO_FIELD_NAMED = Pattern.compile("Message type \"([\\w.]+)\" has no field named \"(\\w+)\"");
    private static final Pattern FIELD_BEFORE_VALUE = Pattern.compile("([A-Za-z_]\\w*)\\s*:\\s*\\[?\\s*$");

    static List<SpecException.Problem> describe(TextFormat.ParseException e, String text, String source) {
        String description = POSITION_PREFIX.matcher(e.getMessage()).replaceFirst("");
        List<SpecException.Problem> out = new ArrayList<>();
        if (description.startsWith("Input contains unknown fields")) {
            for (String line : description.split("\n")) {
                Matcher m = UNKNOWN_LINE.matcher(line.trim());
                if (m.matches()) {
                    out.add(new SpecException.Problem(source, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                            unknownField(m.group(3), m.group(4))));
                }
            }
        }
        Matcher noField = NO_FIELD_NAMED.matcher(description);
        if (out.isEmpty() && noField.find()) {
            out.add(problem(source, e, unknownField(noField.group(1), noField.group(2))));
        }
        if (out.isEmpty()) {
            out.add(problem(source, e, badValue(description, text, e.getLine(), e.getColumn())));
        }
        return out;
    }

    private static SpecException.Problem problem(String source, TextFormat.ParseException e, String message) {
        return new SpecException.Problem(source, Math.max(0, e.getLine()), Math.max(0, e.getColumn()), message);
    }

    /** "unknown field 'x' in section; did you mean ...?" with the closest names of that message. */
    static String unknownField(String typeName, String name) {
        Descriptor type = messageType(typeName);
        String where = type == null ? typeName : sectionName(type);
        StringBuilder msg = new StringBuilder("unknown field '" + name + "' in " + where);
        if (type == null) {
            return msg.toString();
        }
        List<String> close = closeMatches(name, type);
        if (!close.isEmpty()) {
            msg.append("; did you mean ").append(String.join(" or ", close.stream().map(c -> "'" + c + "'").toList())).append('?');
        }
        for (Descriptor other : sections()) {
            if (other != type && other.findFieldByName(name) != null) {
                msg.append(" ('").append(name).append("' belongs in ").append(sectionName(other)).append(')');
                break;
            }
        }
        return msg.toString();
    }

    private static String badValue(String description, String text, int line, int column) {
        String field = null;
        String found = null;
        String[] lines = text.split("\n", -1);
        if (line >= 1 && line <= lines.length) {
            String l = lines[line - 1];
            int col = Math.min(Math.max(column - 1, 0), l.length());
            Matcher m = FIELD_BEFORE_VALUE.matcher(l.substring(0, col));
            if (m.find()) {
                field = m.group(1);
            }
            int end = col;
            while (end < l.length() && !Character.isWhitespace(l.charAt(end)) && "{}[],;#".indexOf(l.charAt(end)) < 0) {
                end++;
            }
            if (end > col) {
                found = l.substring(col, end);
            }
        }
        String what = explain(description, found);
        if (field == null) {
            return "syntax error: " + what;
        }
        return "bad value for " + field + ": " + what;
    }

    /** protobuf's wording for the common cases, rephrased as "expected X, found Y"; otherwise protobuf's own. */
    private static String explain(String description, String found) {
        String d = description.toLowerCase(java.util.Locale.ROOT);
        String tail = found == null ? "" : ", found " + found;
        if (d.contains("must be positive")) {
            return "expected an integer >= 0" + tail;
        }
        if (d.contains("integer")) {
            return (d.contains("out of range") ? "integer out of range" : "expected an integer") + tail;
        }
        if (d.contains("expected double") || d.contains("expected float") || d.contains("parse number")) {
            return "expected a number" + tail;
        }
        if (d.contains("\"true\" or \"false\"")) {
            return "expected True or False" + tail;
        }
        if (d.contains("expected string")) {
            return "expected a quoted string" + tail;
        }
        String what = lowerFirst(description.endsWith(".") ? description.substring(0, description.length() - 1) : description);
        return what + (found == null || what.contains(found) ? "" : " (found " + found + ")");
    }

    private static List<String> closeMatches(String name, Descriptor type) {
        int limit = Math.max(2, name.length() / 3);
        record Scored(String name, int distance) {}
        List<Scored> scored = new ArrayList<>();
        for (FieldDescriptor f : type.getFields()) {
            String candidate = f.getName();
            int d = EditDistance.levenshtein(name.toLowerCase(), candidate);
            boolean contains = name.length() >= 4 && (candidate.contains(name.toLowerCase()) || name.toLowerCase().contains(candidate));
            if (d <= limit || contains) {
                scored.add(new Scored(candidate, contains ? Math.min(d, limit) : d));
            }
        }
        scored.sort(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name));
        return scored.stream().limit(3).map(Scored::name).toList();
    }


    private static List<Descriptor> sections() {
        List<Descriptor> out = new ArrayList<>();
        out.add(Experiment.getDescriptor());
        for (FieldDescriptor f : Experiment.getDescriptor().getFields()) {
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                out.add(f.getMessageType());
            }
        }
        return out;
    }

    private static Descriptor messageType(String fullName) {
        for (Descriptor d : sections()) {
            if (d.getFullName().equals(fullName) || d.getName().equals(fullName)) {
                return d;
            }
        }
        return null;
    }

    /** "maskrcnn_config" for MaskRCNNConfig, "the top level" for Experiment. */
    private static String sectionName(Descriptor type) {
        if (type == Experiment.getDescriptor()) {
            return "the top level";
        }
        for (FieldDescriptor f : Experiment.getDescriptor().getFields()) {
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && f.getMessageType() == type) {
                return f.getName();
            }
        }
        return type.getName();
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
