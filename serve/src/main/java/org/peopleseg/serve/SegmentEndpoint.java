package org.peopleseg.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.peopleseg.core.render.ImageWriter;
import org.peopleseg.core.render.OverlayRenderer;
import org.peopleseg.core.result.PerImageJson;

/**
 * {@code POST /v1/segment[?model=NAME][&format=json|png][&name=FILE]}: for people who only want JSON. The body is the
 * image itself, or a multipart/form-data upload. Answers the per-image JSON that {@code peopleseg infer} writes to
 * {@code detections/NAME.json} (same schema, same bytes for the same file name), or the overlay PNG.
 *
 * <p>The image id follows {@code infer}: a file named by a number (000000081394.jpg) gets that number, others 1.
 * With one model loaded, {@code model} may be left out.
 */
final class SegmentEndpoint {
    private final InferenceService service;
    private final ServeOptions options;

    SegmentEndpoint(InferenceService service, ServeOptions options) {
        this.service = service;
        this.options = options;
    }

    Reply handle(Request request, long start, BodyBudget.Claim budget) throws ServeException {
        Fields query = Request.extractQueryParameters(request);
        String format = value(query, "format", "json");
        if (!format.equals("json") && !format.equals("png")) {
            throw ServeException.badRequest("format must be json or png, got '" + ModelRepository.clip(format) + "'");
        }
        String model = query.getValue("model");
        if (model == null) {
            List<ServedModel> models = service.repository().models();
            if (models.size() != 1) {
                throw ServeException.badRequest("name the model with ?model=NAME: "
                        + (models.isEmpty() ? "none is loaded" : models.size() + " are loaded"));
            }
            model = models.get(0).name();
        }
        service.admit(model);
        byte[] body = HttpBodies.read(request, options.maxBodyBytes(), start + options.requestTimeout().toNanos(),
                budget);
        String fileName = query.getValue("name");
        if (HttpBodies.isMultipart(request)) {
            HttpBodies.Upload up = HttpBodies.firstFile(body, request.getHeaders().get(HttpHeader.CONTENT_TYPE),
                    options.maxBodyBytes());
            body = up.bytes();
            if (fileName == null) {
                fileName = up.fileName();
            }
        }
        String source = baseName(fileName);
        InferenceRequest r = new InferenceRequest(model, "", "", new ImageInput.Encoded(body), List.of("scores"),
                java.util.Set.of());
        InferenceService.Result result = service.infer(r, "segment", start, source);
        if (format.equals("json")) {
            return new Reply(200, Reply.JSON,
                    PerImageJson.toJson(imageId(source), result.outcome().detections()).getBytes(StandardCharsets.UTF_8),
                    Map.of());
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageWriter.write(new OverlayRenderer().render(result.outcome().image(), result.outcome().detections()),
                    "png", png, ImageWriter.DEFAULT_JPEG_QUALITY);
        } catch (IOException e) {
            throw new ServeException(500, "could not draw the overlay: " + e.getMessage(), e);
        }
        return new Reply(200, "image/png", png.toByteArray(), Map.of());
    }

    private static String value(Fields q, String name, String dflt) {
        String v = q.getValue(name);
        return v == null ? dflt : v;
    }

    /** The name results carry: the base name of what the client called the file (never used as a path). */
    static String baseName(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            return "image";
        }
        String n = fileName.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1);
        n = n.replaceAll("\\p{Cntrl}", "");
        return n.isEmpty() ? "image" : n.length() > 200 ? n.substring(0, 200) : n;
    }

    /** As {@code infer}: a file named by a number gets that number, others 1. */
    static long imageId(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String stem = dot > 0 ? fileName.substring(0, dot) : fileName;
        if (!stem.isEmpty() && stem.length() <= 18 && stem.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long v = Long.parseLong(stem);
            if (v > 0) {
                return v;
            }
        }
        return 1;
    }
}
