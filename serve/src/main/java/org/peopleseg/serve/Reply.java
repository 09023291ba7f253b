package org.peopleseg.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** An HTTP response to send: status, content type, body and extra headers. */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON = "application/json";
    private static final JsonFactory FACTORY = new JsonFactory();

    static Reply json(int status, byte[] body) {
        return new Reply(status, JSON, body, Map.of());
    }

    /** A v2 error body, {@code {"error": "..."}}. */
    static Reply error(ServeException e) {
        Map<String, String> headers = e.retryAfterSeconds() > 0
                ? Map.of("Retry-After", Integer.toString(e.retryAfterSeconds())) : Map.of();
        return new Reply(e.status(), JSON, json(g -> g.writeStringField("error", e.getMessage())), headers);
    }

    /** Builds a JSON object with the given writer of its fields. */
    static byte[] json(Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from a byte array
        }
        return out.toByteArray();
    }

    /** Builds a JSON array with the given writer of its elements. */
    static byte[] jsonArray(Fields elements) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartArray();
            elements.write(g);
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from a byte array
        }
        return out.toByteArray();
    }

    interface Fields {
        void write(JsonGenerator g) throws IOException;
    }
}
