package org.peopleseg.core.result;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.peopleseg.core.io.AtomicFiles;
import org.peopleseg.core.mask.Rle;

/**
 * One image's detections as a readable, self-describing JSON document — for people and scripts that want "what was
 * found in this picture" without a COCO toolchain:
 *
 * <pre>{@code
 * {
 *   "image" : "street.jpg", "image_id" : 7, "width" : 960, "height" : 576,
 *   "instances" : [ {
 *     "label" : "person", "category_id" : 1, "score" : 0.93, "track_id" : 4,
 *     "box_xyxy" : [ 10.5, 20.0, 110.25, 300.0 ], "bbox_xywh" : [ 10.5, 20.0, 99.75, 280.0 ],
 *     "area" : 17304,
 *     "segmentation" : { "size" : [ 576, 960 ], "counts" : "..." }
 *   } ]
 * }
 * }</pre>
 *
 * {@code track_id} appears only for tracked instances; {@code area} (mask pixels) and {@code segmentation}
 * (pycocotools' compressed RLE, decodable with {@code pycocotools.mask.decode}) only for instances with a mask.
 * The two boxes agree exactly ({@code x2 = x + w}); numbers follow {@link JsonOutput}.
 */
public final class PerImageJson {
    private PerImageJson() {}

    /** Writes {@code file} atomically. */
    public static void write(Path file, long imageId, Detections detections) throws IOException {
        Rle[] rles = encode(detections); // fail before creating anything
        AtomicFiles.write(file, out -> write(out, imageId, detections, rles));
    }

    /** Writes the document to {@code out} (left open). */
    public static void write(OutputStream out, long imageId, Detections detections) throws IOException {
        write(out, imageId, detections, encode(detections));
    }

    /** The document as a string. */
    public static String toJson(long imageId, Detections detections) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            write(buf, imageId, detections);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from a byte array
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static Rle[] encode(Detections d) {
        Rle[] rles = new Rle[d.instances().size()];
        for (int i = 0; i < rles.length; i++) {
            rles[i] = d.instances().get(i).hasMask() ? JsonOutput.encodeMask(d, i) : null;
        }
        return rles;
    }

    private static void write(OutputStream out, long imageId, Detections d, Rle[] rles) throws IOException {
        try (JsonGenerator g = JsonOutput.generator(out)) {
            DefaultPrettyPrinter pretty = new DefaultPrettyPrinter().withObjectIndenter(
                    DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
            g.setPrettyPrinter(pretty);
            g.writeStartObject();
            g.writeStringField("image", d.source());
            g.writeNumberField("image_id", imageId);
            g.writeNumberField("width", d.width());
            g.writeNumberField("height", d.height());
            g.writeArrayFieldStart("instances");
            List<Instance> instances = d.instances();
            for (int i = 0; i < instances.size(); i++) {
                Instance inst = instances.get(i);
                g.writeStartObject();
                g.writeStringField("label", inst.label());
                g.writeNumberField("category_id", inst.categoryId());
                g.writeNumberField("score", inst.score());
                if (inst.trackId() >= 0) {
                    g.writeNumberField("track_id", inst.trackId());
                }
                JsonOutput.writeArray(g, "box_xyxy", JsonOutput.xyxy(inst.box()));
                JsonOutput.writeArray(g, "bbox_xywh", JsonOutput.xywh(inst.box()));
                if (rles[i] != null) {
                    g.writeNumberField("area", rles[i].area());
                    JsonOutput.writeSegmentation(g, rles[i]);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }
}
