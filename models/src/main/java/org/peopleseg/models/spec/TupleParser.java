package org.peopleseg.models.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the Python literals TAO keeps in string fields: numbers, tuples and lists, nested, such as
 * {@code "[(1.0, 1.0), (1.4, 0.7)]"}, {@code "(10., 10., 5., 5.)"} or {@code "(576, 960)"}. TAO hands these strings
 * to Python's {@code eval}, which accepts anything and fails late and vaguely; peopleseg accepts exactly the literal
 * subset a spec needs and says where it breaks, as a character offset that {@link SourceMap} turns into a column.
 *
 * <p>Python semantics are kept where they matter: {@code (32)} is the number 32 (parentheses group), {@code (32,)}
 * is a one-element tuple, a trailing comma is allowed, and numbers may be written {@code 10.}, {@code .5} or
 * {@code 1e-3}.
 */
final class TupleParser {

    /** A parsed literal; {@code offset} is where it starts in the string. */
    sealed interface Node permits Num, Seq {
        int offset();
    }

    /** A number, with its text as written (for messages). */
    record Num(double value, String text, int offset) implements Node {
        boolean isInteger() {
            return value == Math.rint(value) && !Double.isInfinite(value);
        }
    }

    /** A tuple (parentheses) or list (brackets). */
    record Seq(List<Node> items, boolean tuple, int offset) implements Node {
        Seq {
            items = List.copyOf(items);
        }
    }

    /** A syntax error at character {@code offset} of the string ({@code length()} for "ended too early"). */
    static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;
        private final int offset;

        SyntaxError(int offset, String message) {
            super(message);
            this.offset = offset;
        }

        int offset() {
            return offset;
        }
    }

    private final String s;
    private int pos;

    private TupleParser(String s) {
        this.s = s;
    }

    /** Parses the whole string as one literal. */
    static Node parse(String s) throws SyntaxError {
        TupleParser p = new TupleParser(s);
        p.skipSpace();
        Node node = p.value();
        p.skipSpace();
        if (p.pos < s.length()) {
            throw new SyntaxError(p.pos, "unexpected '" + s.charAt(p.pos) + "' after the end of the value");
        }
        return node;
    }

    private Node value() throws SyntaxError {
        if (pos >= s.length()) {
            throw new SyntaxError(pos, s.isBlank() ? "empty value: expected a number, a tuple '(...)' or a list '[...]'"
                    : "the text ends where a value should follow");
        }
        char c = s.charAt(pos);
        if (c == '(' || c == '[') {
            return sequence(c);
        }
        if (c == '-' || c == '+' || c == '.' || Character.isDigit(c)) {
            return number();
        }
        throw new SyntaxError(pos, "expected a number, '(' or '[' but found '" + c + "'");
    }

    private Node sequence(char open) throws SyntaxError {
        int start = pos;
        char close = open == '(' ? ')' : ']';
        pos++;
        List<Node> items = new ArrayList<>();
        boolean sawComma = false;
        skipSpace();
        while (true) {
            if (pos >= s.length()) {
                throw new SyntaxError(pos, "missing '" + close + "' to close the '" + open + "' at character " + (start + 1));
            }
            if (s.charAt(pos) == close) {
                pos++;
                break;
            }
            items.add(value());
            skipSpace();
            if (pos >= s.length()) {
                throw new SyntaxError(pos, "missing '" + close + "' to close the '" + open + "' at character " + (start + 1));
            }
            char c = s.charAt(pos);
            if (c == ',') {
                sawComma = true;
                pos++;
                skipSpace();
            } else if (c != close) {
                throw new SyntaxError(pos, "expected ',' or '" + close + "' but found '" + c + "'");
            }
        }
        if (open == '(' && items.size() == 1 && !sawComma) {
            return items.get(0); // (x) is just x, as in Python
        }
        return new Seq(items, open == '(', start);
    }

    private Node number() throws SyntaxError {
        int start = pos;
        if (s.charAt(pos) == '+' || s.charAt(pos) == '-') {
            pos++;
        }
        int digits = 0;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
            pos++;
            digits++;
        }
        if (pos < s.length() && s.charAt(pos) == '.') {
            pos++;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
                digits++;
            }
        }
        if (digits == 0) {
            throw new SyntaxError(start, "malformed number '" + s.substring(start, Math.min(pos + 1, s.length())) + "'");
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            int e = pos++;
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                pos++;
            }
            int expDigits = 0;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
                expDigits++;
            }
            if (expDigits == 0) {
                throw new SyntaxError(e, "malformed exponent in '" + s.substring(start, pos) + "'");
            }
        }
        if (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
            throw new SyntaxError(pos, "unexpected '" + s.charAt(pos) + "' in the number '" + s.substring(start, pos) + "'");
        }
        String text = s.substring(start, pos);
        return new Num(Double.parseDouble(text), text, start);
    }

    private void skipSpace() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }
}
