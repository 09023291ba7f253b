package org.peopleseg.core.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * The one place JSON from outside (COCO ground truth and results, dataset info, calibration caches, training
 * checkpoints) is parsed, with every Jackson limit set explicitly instead of left to the library's defaults, so a
 * crafted file is refused with a message after reading a bounded amount of it.
 *
 * <p>Jackson 2.17 caps strings, numbers, names and nesting ({@link StreamReadConstraints}); it has no cap on the
 * number of elements of an array, so {@link #readTree} builds the tree itself, without recursion, and refuses an
 * array longer than {@link #MAX_ARRAY_LENGTH} (one nested {@value #NESTED_ARRAY_DEPTH} or more levels deep: longer
 * than {@link #MAX_NESTED_ARRAY_LENGTH}) while streaming, before the rest of the file is read: a polygon claiming a
 * billion vertices costs about {@link #MAX_NESTED_ARRAY_LENGTH} nodes, not a billion.
 */
public final class UntrustedJson {
    /** Longest string value, in chars: a compressed RLE of a 4K frame is a few KB. */
    public static final int MAX_STRING_LENGTH = 8 << 20;
    /** Largest document, in bytes: COCO 2017 train instances is 448 MB. */
    public static final long MAX_DOCUMENT_LENGTH = 2L << 30;
    /** Deepest nesting of arrays and objects: COCO needs 5. */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Longest number literal, in chars. */
    public static final int MAX_NUMBER_LENGTH = 100;
    /** Longest field name, in chars. */
    public static final int MAX_NAME_LENGTH = 4096;
    /** Most elements of a top-level list (images, annotations, results): LVIS has 1.3 M annotations. */
    public static final int MAX_ARRAY_LENGTH = 32_000_000;
    /** Arrays at least this deep (COCO: a segmentation, a polygon, RLE counts, a bbox) are capped harder. */
    public static final int NESTED_ARRAY_DEPTH = 3;
    /** Most elements of such a nested array: a polygon of 500,000 vertices, an RLE of 1 M runs. */
    public static final int MAX_NESTED_ARRAY_LENGTH = 1_000_000;

    private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxStringLength(MAX_STRING_LENGTH)
            .maxDocumentLength(MAX_DOCUMENT_LENGTH)
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .maxNameLength(MAX_NAME_LENGTH)
            .build();
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(CONSTRAINTS)
            .build();

    private UntrustedJson() {}

    /** The limits, for other factories (YAML) that read untrusted text. */
    public static StreamReadConstraints constraints() {
        return CONSTRAINTS;
    }

    /** A factory with the limits (a repeated key keeps its last value, as Python's json does). */
    public static JsonFactory factory() {
        return FACTORY;
    }

    /**
     * A new mapper over {@link #factory()} (new, because a mapper is mutable). Its {@code readTree} has the stream
     * limits but not the array caps: use it for small files (caches, checkpoints' state), {@link #readTree} for
     * datasets.
     */
    public static ObjectMapper mapper() {
        return new ObjectMapper(FACTORY);
    }

    /**
     * Reads the value at the parser's next token (or current one, if it is on a value) as a tree, refusing arrays
     * beyond the caps. Returns {@code null} at the end of the input.
     *
     * @throws StreamConstraintsException naming the limit when one is exceeded
     */
    public static JsonNode readTree(JsonParser p) throws IOException {
        JsonToken t = p.currentToken() == null || p.currentToken() == JsonToken.FIELD_NAME ? p.nextToken()
                : p.currentToken();
        if (t == null) {
            return null;
        }
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ArrayDeque<ContainerNode<?>> open = new ArrayDeque<>();
        ArrayDeque<String> fields = new ArrayDeque<>();
        JsonNode done = null;
        while (true) {
            JsonNode value = null;
            switch (t) {
                case START_OBJECT -> open.push(nodes.objectNode());
                case START_ARRAY -> open.push(nodes.arrayNode());
                case END_OBJECT, END_ARRAY -> value = open.pop();
                case FIELD_NAME -> fields.push(p.currentName());
                case VALUE_STRING -> value = nodes.textNode(p.getText());
                case VALUE_NUMBER_INT -> value = switch (p.getNumberType()) {
                    case INT -> nodes.numberNode(p.getIntValue());
                    case LONG -> nodes.numberNode(p.getLongValue());
                    default -> nodes.numberNode(p.getBigIntegerValue());
                };
                case VALUE_NUMBER_FLOAT -> value = nodes.numberNode(p.getDoubleValue());
                case VALUE_TRUE -> value = nodes.booleanNode(true);
                case VALUE_FALSE -> value = nodes.booleanNode(false);
                case VALUE_NULL -> value = nodes.nullNode();
                default -> throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected JSON token " + t);
            }
            if (value != null) {
                if (open.isEmpty()) {
                    done = value;
                } else if (open.peek() instanceof ArrayNode array) {
                    int cap = open.size() >= NESTED_ARRAY_DEPTH ? MAX_NESTED_ARRAY_LENGTH : MAX_ARRAY_LENGTH;
                    if (array.size() >= cap) {
                        throw new StreamConstraintsException("an array " + (open.size() >= NESTED_ARRAY_DEPTH
                                ? "nested " + open.size() + " deep " : "") + "has more than " + cap
                                + " elements (limit of peopleseg's UntrustedJson)", p.currentLocation());
                    }
                    array.add(value);
                } else {
                    ((ObjectNode) open.peek()).set(fields.pop(), value);
                }
            }
            if (done != null) {
                return done;
            }
            t = p.nextToken();
            if (t == null) {
                throw new com.fasterxml.jackson.core.JsonParseException(p, "JSON ends inside "
                        + (open.peek() instanceof ArrayNode ? "an array" : "an object"));
            }
        }
    }
}
