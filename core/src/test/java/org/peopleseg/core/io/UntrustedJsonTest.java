package org.peopleseg.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class UntrustedJsonTest {
    private static JsonNode read(InputStream in) throws IOException {
        try (JsonParser p = UntrustedJson.factory().createParser(in)) {
            return UntrustedJson.readTree(p);
        }
    }

    private static JsonNode read(String json) throws IOException {
        return read(new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void buildsTheSameTreeAsJackson() throws IOException {
        String json = "{\"a\":[1,2.5,-3,12345678901,123456789012345678901234567890,true,false,null,\"s\"],"
                + "\"b\":{\"c\":[[1,2],[]],\"d\":{}},\"a2\":\"\\u00e9\",\"b\":7}";
        assertEquals(new ObjectMapper().readTree(json), read(json));
        assertEquals(new ObjectMapper().readTree("[]"), read("[]"));
        assertEquals(new ObjectMapper().readTree("42"), read("42"));
    }

    @Test
    void truncatedDocumentIsAnError() {
        assertThrows(IOException.class, () -> read("{\"a\":[1,2"));
    }

    /** A billion-element nested array (what a billion-vertex polygon is) is refused after about a million. */
    @Test
    void billionElementNestedArrayIsRefusedWhileStreaming() {
        GeneratedJson in = new GeneratedJson("{\"annotations\":[{\"segmentation\":[[", "0,", 1_000_000_000L, "0]]}]}");
        StreamConstraintsException e = assertThrows(StreamConstraintsException.class, () -> read(in));
        assertTrue(e.getMessage().contains("more than " + UntrustedJson.MAX_NESTED_ARRAY_LENGTH + " elements"),
                e.getMessage());
        assertTrue(in.bytesRead() < 3 * UntrustedJson.MAX_NESTED_ARRAY_LENGTH + 100_000,
                "read " + in.bytesRead() + " of " + in.length() + " bytes");
    }

    @Test
    void nestedArrayAtTheCapIsRead() throws IOException {
        int n = UntrustedJson.MAX_NESTED_ARRAY_LENGTH;
        JsonNode root = read(new GeneratedJson("[{\"p\":[", "1,", n - 1, "1]}]"));
        assertEquals(n, root.get(0).get("p").size());
    }

    /** A 1 GB string, refused just past the documented cap. */
    @Test
    void stringJustOverTheCapIsRefused() throws IOException {
        int cap = UntrustedJson.MAX_STRING_LENGTH;
        assertEquals(cap, read(new GeneratedJson("{\"info\":\"", "a", cap, "\"}")).get("info").textValue().length());
        GeneratedJson over = new GeneratedJson("{\"info\":\"", "a", cap + 1, "\"}");
        StreamConstraintsException e = assertThrows(StreamConstraintsException.class, () -> read(over));
        assertTrue(e.getMessage().contains("String value length"), e.getMessage());
        GeneratedJson gigabyte = new GeneratedJson("{\"info\":\"", "a", 1L << 30, "\"}");
        assertThrows(StreamConstraintsException.class, () -> read(gigabyte));
        assertTrue(gigabyte.bytesRead() < 2L * cap, "read " + gigabyte.bytesRead());
    }

    @Test
    void deepNestingIsRefused() throws IOException {
        int depth = UntrustedJson.MAX_NESTING_DEPTH;
        read("[".repeat(depth) + "]".repeat(depth));
        StreamConstraintsException e = assertThrows(StreamConstraintsException.class,
                () -> read(new GeneratedJson("", "[", 100_000_000L, "")));
        assertTrue(e.getMessage().contains("nesting depth"), e.getMessage());
    }

    @Test
    void hugeNumberLiteralAndNameAreRefused() {
        assertThrows(StreamConstraintsException.class,
                () -> read(new GeneratedJson("[", "9", UntrustedJson.MAX_NUMBER_LENGTH + 1, "]")));
        assertThrows(StreamConstraintsException.class,
                () -> read(new GeneratedJson("{\"", "k", UntrustedJson.MAX_NAME_LENGTH + 1, "\":1}")));
    }

    @Test
    void mapperCarriesTheStreamLimits() {
        ObjectMapper mapper = UntrustedJson.mapper();
        assertThrows(StreamConstraintsException.class,
                () -> mapper.readTree(new GeneratedJson("[", "[", 10_000, "")));
    }
}
