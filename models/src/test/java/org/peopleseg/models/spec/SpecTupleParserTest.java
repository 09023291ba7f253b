package org.peopleseg.models.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.peopleseg.models.spec.TupleParser.Num;
import org.peopleseg.models.spec.TupleParser.Seq;

class SpecTupleParserTest {

    @Test
    void parsesTaoLiterals() throws Exception {
        Seq aspects = assertInstanceOf(Seq.class, TupleParser.parse("[(1.0, 1.0), (1.4, 0.7), (0.7, 1.4)]"));
        assertEquals(3, aspects.items().size());
        Seq second = assertInstanceOf(Seq.class, aspects.items().get(1));
        assertEquals(1.4, ((Num) second.items().get(0)).value());
        assertEquals(13, second.offset());

        Seq weights = assertInstanceOf(Seq.class, TupleParser.parse(" (10., 10., 5., 5.) "));
        assertTrue(weights.tuple());
        assertEquals(5.0, ((Num) weights.items().get(3)).value());

        Seq numbers = assertInstanceOf(Seq.class, TupleParser.parse("[.5, -1e-3, +2E2, 3,]"));
        assertEquals(4, numbers.items().size(), "a trailing comma is allowed");
        assertEquals(-1e-3, ((Num) numbers.items().get(1)).value());
        assertEquals(200.0, ((Num) numbers.items().get(2)).value());
    }

    @Test
    void parenthesesGroupUnlessThereIsAComma() throws Exception {
        assertInstanceOf(Num.class, TupleParser.parse("(32)"));
        Seq one = assertInstanceOf(Seq.class, TupleParser.parse("(32,)"));
        assertEquals(1, one.items().size());
        assertEquals(0, assertInstanceOf(Seq.class, TupleParser.parse("[]")).items().size());
    }

    @Test
    void errorsCarryTheOffsetOfTheBadCharacter() {
        assertError("[(1.0, 1.0), (1.4 0.7)]", 18, "expected ',' or ')' but found '0'");
        assertError("[(1.0, 1.0)", 11, "missing ']' to close the '[' at character 1");
        assertError("(576, 96O)", 8, "unexpected 'O' in the number '96'");
        assertError("(1.0, abc)", 6, "expected a number, '(' or '[' but found 'a'");
        assertError("(1.0, 2.0))", 10, "unexpected ')' after the end of the value");
        assertError("(1e, 2)", 2, "malformed exponent");
        assertError("(1.2.3)", 4, "unexpected '.'");
        assertError("", 0, "empty value");
    }

    private static void assertError(String text, int offset, String message) {
        TupleParser.SyntaxError e = assertThrows(TupleParser.SyntaxError.class, () -> TupleParser.parse(text));
        assertEquals(offset, e.offset(), text + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(message), text + ": " + e.getMessage());
    }
}
