package org.peopleseg.models.spec;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Shared helpers: the card spec from test resources, and "parse and expect a failure". */
final class SpecTestSupport {

    private SpecTestSupport() {}

    static final String CARD = "peoplesegnet_card.txt";

    static String cardText() {
        try (InputStream in = SpecTestSupport.class.getResourceAsStream("/spec/" + CARD)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /spec/" + CARD);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TaoSpec card() throws SpecException {
        return SpecParser.parse(cardText(), CARD);
    }

    /** The card with the first occurrence of {@code from} replaced; fails the test if {@code from} is absent. */
    static String cardWith(String from, String to) {
        String text = cardText();
        if (!text.contains(from)) {
            throw new IllegalArgumentException("the card spec has no '" + from + "'");
        }
        return text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
    }

    static SpecException failure(String text) {
        return assertThrows(SpecException.class, () -> SpecParser.parse(text, "bad.txt"));
    }

    /** 1-based line and column of the first occurrence of {@code needle} in {@code text}. */
    static int[] positionOf(String text, String needle) {
        int at = text.indexOf(needle);
        if (at < 0) {
            throw new IllegalArgumentException("no '" + needle + "' in the text");
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new int[] {line, at - lineStart + 1};
    }
}
