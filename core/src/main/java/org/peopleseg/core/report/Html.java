package org.peopleseg.core.report;

import java.util.Base64;
import java.util.Locale;

/**
 * A small HTML writer: text is always escaped, and what comes out is also well-formed XML (every element closed,
 * only XML's five named entities), so tests can parse the report with an XML parser.
 */
final class Html {
    private final StringBuilder sb = new StringBuilder(64 * 1024);

    /** Escapes text for element content and attribute values. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    // drop control characters that XML 1.0 forbids
                    if (c >= 0x20 || c == '\n' || c == '\t' || c == '\r') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    static String dataUri(String mime, byte[] bytes) {
        return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    /** Three decimals; "n/a" for NaN and for COCO's -1 (undefined). */
    static String num(double v) {
        return Double.isNaN(v) || v == -1 ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    /** A ratio as a percentage with one decimal; "n/a" when undefined. */
    static String pct(double v) {
        return Double.isNaN(v) || v == -1 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    static String thr(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** Raw markup (already escaped or constant). */
    Html raw(String markup) {
        sb.append(markup);
        return this;
    }

    /** Escaped text. */
    Html text(String s) {
        sb.append(esc(s));
        return this;
    }

    /** {@code <tag class="cls">text</tag>}, text escaped; cls may be null. */
    Html el(String tag, String cls, String text) {
        open(tag, cls);
        text(text);
        return close(tag);
    }

    Html open(String tag, String cls) {
        sb.append('<').append(tag);
        if (cls != null) {
            sb.append(" class=\"").append(esc(cls)).append('"');
        }
        sb.append('>');
        return this;
    }

    Html close(String tag) {
        sb.append("</").append(tag).append(">");
        return this;
    }

    Html nl() {
        sb.append('\n');
        return this;
    }

    /** A link that opens outside the report; shown as its URL when {@code text} is null. */
    Html link(String href, String text) {
        sb.append("<a href=\"").append(esc(href)).append("\" rel=\"noopener noreferrer\">")
                .append(esc(text == null ? href : text)).append("</a>");
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
