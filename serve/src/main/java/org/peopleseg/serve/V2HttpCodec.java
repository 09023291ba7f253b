package org.peopleseg.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The v2 HTTP/REST inference request and response bodies: JSON, with Triton's binary data extension.
 *
 * <p>Input {@code image}: BYTES [1] holding an encoded image — base64 in the JSON {@code data} (MLServer's codec
 * convention marks it with {@code "parameters": {"content_type": "base64"}}; an unmarked string is read as base64
 * too, since raw JPEG bytes cannot be a JSON string), or binary after the JSON header with
 * {@code "parameters": {"binary_data_size": N}} and the {@code Inference-Header-Content-Length} header (a v2 BYTES
 * element: 4-byte little-endian length, then the bytes; a bare file is accepted too) — or UINT8 [H, W, 3] RGB pixels,
 * as JSON numbers (flat or nested) or binary.
 *
 * <p>Outputs go back as JSON {@code data}, or binary when the request asks with {@code binary_data_output} (all) or
 * an output's {@code binary_data} parameter.
 */
final class V2HttpCodec {
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    private final ObjectMapper mapper;

    V2HttpCodec(long maxBodyBytes) {
        JsonFactory f = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxBodyBytes * 2))
                .maxNestingDepth(32).build()).build();
        mapper = new ObjectMapper(f);
    }

    /** A parsed response body and the length of its JSON part when binary data follows (-1 for JSON only). */
    record Body(byte[] bytes, int jsonLength) {}

    /**
     * @param headerLength the Inference-Header-Content-Length value, or -1 when the body is all JSON
     */
    InferenceRequest parse(String model, String version, byte[] body, long headerLength) throws ServeException {
        if (headerLength > body.length || headerLength < -1) {
            throw ServeException.badRequest(HEADER_LENGTH + " " + headerLength + " is not within the body's "
                    + body.length + " bytes");
        }
        int jsonLength = headerLength < 0 ? body.length : (int) headerLength;
        JsonNode root;
        try {
            root = mapper.readTree(body, 0, jsonLength);
        } catch (JsonProcessingException e) {
            throw ServeException.badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ServeException.badRequest("malformed JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw ServeException.badRequest("the request body must be a JSON object with \"inputs\"");
        }
        String id = root.path("id").isTextual() ? root.get("id").asText() : "";
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw ServeException.badRequest("\"inputs\" must be a non-empty array");
        }
        int binaryOffset = jsonLength;
        ImageInput image = null;
        for (JsonNode input : inputs) {
            String name = input.path("name").asText("");
            long binarySize = input.path("parameters").path("binary_data_size").asLong(-1);
            byte[] binary = null;
            if (binarySize >= 0) {
                if (headerLength < 0) {
                    throw ServeException.badRequest("input '" + ModelRepository.clip(name) + "' has binary_data_size "
                            + "but the request has no " + HEADER_LENGTH + " header");
                }
                if (binarySize > body.length - binaryOffset) {
                    throw ServeException.badRequest("input '" + ModelRepository.clip(name) + "': binary_data_size "
                            + binarySize + " runs past the end of the body");
                }
                binary = java.util.Arrays.copyOfRange(body, binaryOffset, binaryOffset + (int) binarySize);
                binaryOffset += (int) binarySize;
            }
            if (!name.equals("image")) {
                throw ServeException.badRequest("unknown input '" + ModelRepository.clip(name)
                        + "': the model takes one input, 'image' (BYTES [1] encoded image, or UINT8 [H, W, 3])");
            }
            if (image != null) {
                throw ServeException.badRequest("input 'image' given twice");
            }
            image = parseImage(input, binary);
        }
        if (binaryOffset != body.length && headerLength >= 0) {
            throw ServeException.badRequest((body.length - binaryOffset) + " bytes after the JSON header are not "
                    + "claimed by any input's binary_data_size");
        }
        List<String> outputs = new ArrayList<>();
        Set<String> binaryOutputs = new HashSet<>();
        boolean allBinary = root.path("parameters").path("binary_data_output").asBoolean(false);
        JsonNode outs = root.get("outputs");
        if (outs != null) {
            if (!outs.isArray()) {
                throw ServeException.badRequest("\"outputs\" must be an array");
            }
            for (JsonNode o : outs) {
                String name = o.path("name").asText("");
                if (!OutputTensors.NAMES.contains(name)) {
                    throw ServeException.badRequest("unknown output '" + ModelRepository.clip(name)
                            + "': the outputs are " + String.join(", ", OutputTensors.NAMES));
                }
                outputs.add(name);
                if (o.path("parameters").path("binary_data").asBoolean(allBinary)) {
                    binaryOutputs.add(name);
                }
            }
        }
        if (allBinary && outputs.isEmpty()) {
            binaryOutputs.addAll(OutputTensors.NAMES);
        }
        return new InferenceRequest(model, version, id, image, outputs, binaryOutputs);
    }

    private static ImageInput parseImage(JsonNode input, byte[] binary) throws ServeException {
        String datatype = input.path("datatype").asText("");
        long[] shape = shape(input.get("shape"));
        JsonNode data = input.get("data");
        if (binary == null && data == null) {
            throw ServeException.badRequest("input 'image' has neither \"data\" nor binary_data_size");
        }
        switch (datatype) {
            case "BYTES" -> {
                if (shape.length != 1 || shape[0] != 1) {
                    throw ServeException.badRequest("input 'image': BYTES shape must be [1] (one encoded image), got "
                            + java.util.Arrays.toString(shape));
                }
                if (binary != null) {
                    return new ImageInput.Encoded(bytesElement(binary));
                }
                String contentType = input.path("parameters").path("content_type").asText("base64");
                if (!contentType.equals("base64")) {
                    throw ServeException.badRequest("input 'image': content_type '" + ModelRepository.clip(contentType)
                            + "' is not supported in JSON: send the image base64-encoded with content_type base64, "
                            + "or as binary data");
                }
                JsonNode element = data.isArray() && data.size() == 1 ? data.get(0) : null;
                if (element == null || !element.isTextual()) {
                    throw ServeException.badRequest("input 'image': data must be one base64 string, [\"...\"]");
                }
                try {
                    return new ImageInput.Encoded(Base64.getMimeDecoder().decode(element.asText()));
                } catch (IllegalArgumentException e) {
                    throw ServeException.badRequest("input 'image': data is not valid base64 (" + e.getMessage() + ")");
                }
            }
            case "UINT8" -> {
                return binary != null ? ImageInput.Pixels.of(shape, binary, "image")
                        : ImageInput.Pixels.of(shape, uint8(data, shape), "image");
            }
            default -> throw ServeException.badRequest("input 'image': datatype '" + ModelRepository.clip(datatype)
                    + "' is not accepted: BYTES (an encoded image) or UINT8 (RGB pixels)");
        }
    }

    /** One v2 BYTES element (length-prefixed); a bare image file is accepted too, as some clients send that. */
    private static byte[] bytesElement(byte[] binary) {
        if (binary.length >= 4) {
            long n = ByteBuffer.wrap(binary, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            if (n == binary.length - 4) {
                return java.util.Arrays.copyOfRange(binary, 4, binary.length);
            }
        }
        return binary;
    }

    private static long[] shape(JsonNode node) throws ServeException {
        if (node == null || !node.isArray() || node.size() > 8) {
            throw ServeException.badRequest("input 'image': \"shape\" must be an array of at most 8 integers");
        }
        long[] s = new long[node.size()];
        for (int i = 0; i < s.length; i++) {
            JsonNode d = node.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber()) {
                throw ServeException.badRequest("input 'image': \"shape\" must hold integers, got " + node);
            }
            s[i] = d.asLong();
            if (s[i] < 0) {
                throw ServeException.badRequest("input 'image': negative dimension in shape " + node);
            }
        }
        return s;
    }

    /** UINT8 data as JSON numbers, flat or nested; checked against the shape before any allocation. */
    private static byte[] uint8(JsonNode data, long[] shape) throws ServeException {
        long expected = ImageInput.Pixels.checkShape(shape, "image");
        byte[] out = new byte[(int) expected];
        int n = flatten(data, out, 0, 0);
        if (n != expected) {
            throw ServeException.badRequest("input 'image': shape " + java.util.Arrays.toString(shape) + " needs "
                    + expected + " values, got " + n);
        }
        return out;
    }

    private static int flatten(JsonNode node, byte[] out, int at, int depth) throws ServeException {
        if (depth > 4) {
            throw ServeException.badRequest("input 'image': UINT8 data nested deeper than its shape");
        }
        if (!node.isArray()) {
            throw ServeException.badRequest("input 'image': UINT8 data must be an array of numbers 0..255");
        }
        for (JsonNode v : node) {
            if (v.isArray()) {
                at = flatten(v, out, at, depth + 1);
                continue;
            }
            if (!v.isIntegralNumber() || v.asInt(-1) < 0 || v.asInt(-1) > 255) {
                throw ServeException.badRequest("input 'image': UINT8 values must be integers 0..255, got " + v);
            }
            if (at >= out.length) {
                throw ServeException.badRequest("input 'image': more UINT8 values than the shape holds ("
                        + out.length + ")");
            }
            out[at++] = (byte) v.asInt();
        }
        return at;
    }

    /** The response body. */
    Body write(InferenceService.Result r, InferenceRequest request) throws ServeException {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        List<byte[]> binaries = new ArrayList<>();
        try (JsonGenerator g = mapper.getFactory().createGenerator(json)) {
            g.writeStartObject();
            g.writeStringField("model_name", r.model());
            g.writeStringField("model_version", ModelRepository.VERSION);
            if (!request.id().isEmpty()) {
                g.writeStringField("id", request.id());
            }
            g.writeObjectFieldStart("parameters");
            g.writeNumberField("image_width", r.outcome().detections().width());
            g.writeNumberField("image_height", r.outcome().detections().height());
            g.writeEndObject();
            g.writeArrayFieldStart("outputs");
            for (OutputTensors.Tensor t : r.tensors()) {
                g.writeStartObject();
                g.writeStringField("name", t.name());
                g.writeStringField("datatype", t.datatype());
                g.writeFieldName("shape");
                g.writeArray(t.shape(), 0, t.shape().length);
                if (request.binaryOutputs().contains(t.name())) {
                    byte[] raw = t.rawBytes();
                    binaries.add(raw);
                    g.writeObjectFieldStart("parameters");
                    g.writeNumberField("binary_data_size", raw.length);
                    g.writeEndObject();
                } else {
                    g.writeFieldName("data");
                    writeData(g, t.data());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new ServeException(500, "could not write the response: " + e.getMessage(), e);
        }
        if (binaries.isEmpty()) {
            return new Body(json.toByteArray(), -1);
        }
        int jsonLength = json.size();
        for (byte[] b : binaries) {
            json.writeBytes(b);
        }
        return new Body(json.toByteArray(), jsonLength);
    }

    private static void writeData(JsonGenerator g, Object data) throws IOException {
        if (data instanceof float[] f) {
            g.writeStartArray();
            for (float v : f) {
                g.writeNumber(v);
            }
            g.writeEndArray();
        } else if (data instanceof long[] l) {
            g.writeArray(l, 0, l.length);
        } else {
            g.writeStartArray();
            for (Object s : (List<?>) data) {
                g.writeString((String) s);
            }
            g.writeEndArray();
        }
    }

    ObjectMapper mapper() {
        return mapper;
    }
}
