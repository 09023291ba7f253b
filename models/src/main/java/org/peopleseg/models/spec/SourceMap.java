package org.peopleseg.models.spec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each field of a spec text is written. The protobuf text parser builds the message but forgets positions;
 * semantic errors ("nlayers 42", a malformed {@code aspect_ratios} string) must still point at the line and column
 * the user has to fix, down to the bad character inside a quoted tuple. This is a small tokenizer for the text
 * format (identifiers, quoted strings, symbols, {@code #} comments) that records, for each field path such as
 * {@code maskrcnn_config.aspect_ratios}, where its name and its value start. It runs only on text the protobuf
 * parser has accepted, so it need not diagnose anything. A field written twice resolves to the last occurrence,
 * which is also the value protobuf keeps.
 */
final class SourceMap {

    /** A 1-based line and column; a tab counts as one column, as in protobuf's own error positions. */
    record Position(int line, int column) {
        Position plusColumns(int n) {
            return new Position(line, column + n);
        }
    }

    /**
     * One field occurrence.
     *
     * @param name   where the field name starts
     * @param value  where the value starts (the opening quote of a string, the brace of a section)
     * @param quoted the characters between the quotes of a string value, as written; null for other values
     */
    record Entry(Position name, Position value, String quoted) {}

    private final Map<String, Entry> fields;

    private SourceMap(Map<String, Entry> fields) {
        this.fields = fields;
    }

    /** Where {@code path} (dot-separated, e.g. {@code data_config.image_size}) is written, if it is. */
    Optional<Entry> field(String path) {
        return Optional.ofNullable(fields.get(path));
    }

    /**
     * Where character {@code index} of a string field's value is. Falls back to the opening quote when the string
     * uses escape sequences (character offsets in the value then differ from columns in the text).
     */
    Optional<Position> charInString(String path, int index) {
        Entry entry = fields.get(path);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.quoted() == null || entry.quoted().indexOf('\\') >= 0) {
            return Optional.of(entry.value());
        }
        return Optional.of(entry.value().plusColumns(1 + index));
    }

    static SourceMap scan(String text) {
        List<Token> tokens = tokenize(text);
        Map<String, Entry> fields = new HashMap<>();
        Deque<String> sections = new ArrayDeque<>();
        int i = 0;
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            if (t.is("}") || t.is(">")) {
                if (!sections.isEmpty()) {
                    sections.pop();
                }
                i++;
                continue;
            }
            if (t.kind != Kind.IDENT) {
                i++;
                continue;
            }
            int j = i + 1;
            if (j < tokens.size() && tokens.get(j).is(":")) {
                j++;
            }
            if (j >= tokens.size()) {
                break;
            }
            Token v = tokens.get(j);
            String path = sections.isEmpty() ? t.text : String.join(".", outerFirst(sections)) + "." + t.text;
            if (v.is("{") || v.is("<")) {
                fields.put(path, new Entry(t.pos, v.pos, null));
                sections.push(t.text);
                i = j + 1;
            } else if (v.is("[")) {
                Token first = j + 1 < tokens.size() ? tokens.get(j + 1) : v;
                fields.put(path, new Entry(t.pos, first.pos, first.kind == Kind.STRING ? first.text : null));
                i = skipList(tokens, j);
            } else {
                fields.put(path, new Entry(t.pos, v.pos, v.kind == Kind.STRING ? v.text : null));
                i = j + 1;
                while (i < tokens.size() && tokens.get(i).kind == Kind.STRING) {
                    i++; // adjacent string literals concatenate
                }
            }
        }
        return new SourceMap(fields);
    }

    /** The open sections, outermost first (the stack holds the innermost on top). */
    private static Iterable<String> outerFirst(Deque<String> sections) {
        return sections::descendingIterator;
    }

    /** Index after the ']' that closes the list opened at {@code open}, skipping nested sections. */
    private static int skipList(List<Token> tokens, int open) {
        int depth = 0;
        for (int k = open; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            if (t.is("[") || t.is("{") || t.is("<")) {
                depth++;
            } else if (t.is("]") || t.is("}") || t.is(">")) {
                depth--;
                if (depth == 0) {
                    return k + 1;
                }
            }
        }
        return tokens.size();
    }

    private enum Kind { IDENT, STRING, SYMBOL, OTHER }

    private record Token(Kind kind, String text, Position pos) {
        boolean is(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }
    }

    private static final String SYMBOLS = "{}<>[]:,;";

    private static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int line = 1;
        int col = 1;
        int pos = 0;
        int n = text.length();
        while (pos < n) {
            char c = text.charAt(pos);
            Position here = new Position(line, col);
            if (c == '\n') {
                line++;
                col = 1;
                pos++;
            } else if (Character.isWhitespace(c)) {
                pos++;
                col++;
            } else if (c == '#') {
                while (pos < n && text.charAt(pos) != '\n') {
                    pos++;
                    col++;
                }
            } else if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < n && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                    pos++;
                }
                col += pos - start;
                tokens.add(new Token(Kind.IDENT, text.substring(start, pos), here));
            } else if (c == '"' || c == '\'') {
                int start = ++pos;
                while (pos < n && text.charAt(pos) != c && text.charAt(pos) != '\n') {
                    pos += text.charAt(pos) == '\\' && pos + 1 < n ? 2 : 1;
                }
                String content = text.substring(start, Math.min(pos, n));
                if (pos < n && text.charAt(pos) == c) {
                    pos++;
                }
                col += pos - start + 1;
                tokens.add(new Token(Kind.STRING, content, here));
            } else if (SYMBOLS.indexOf(c) >= 0) {
                pos++;
                col++;
                tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), here));
            } else {
                int start = pos;
                while (pos < n) {
                    char d = text.charAt(pos);
                    if (Character.isWhitespace(d) || SYMBOLS.indexOf(d) >= 0 || d == '#' || d == '"' || d == '\'') {
                        break;
                    }
                    pos++;
                }
                col += pos - start;
                tokens.add(new Token(Kind.OTHER, text.substring(start, pos), here));
            }
        }
        return tokens;
    }
}
