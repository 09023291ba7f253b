package org.peopleseg.core.result;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.peopleseg.core.mask.Rle;

/**
 * One video frame's people as a single JSON line (JSON Lines), the per-frame metadata of a stream:
 * <pre>{"source":"vtest","frame":1,"timestamp_ms":0.0,"inferred":true,"width":768,"height":576,
 *  "people":[{"track_id":3,"label":"person","category_id":1,"score":0.91,"box_xyxy":[..],"bbox_xywh":[..],
 *  "area":5210,"segmentation":{"size":[576,768],"counts":"..."}}]}</pre>
 * Frame numbers are 1-based, as in MOT files, so the two join on {@code frame}. Boxes, scores and masks follow
 * the same conventions as results.json ({@link JsonOutput}).
 */
public final class FrameJsonLine {
    private FrameJsonLine() {}

    /**
     * @param frameNumber 1-based frame number within the source
     * @param inferred    false when the tracker predicted this frame between inferences
     */
    public static String toLine(String source, long frameNumber, double timestampMs, boolean inferred,
                                Detections d) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        try {
            write(buf, source, frameNumber, timestampMs, inferred, d);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from a byte array
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static void write(ByteArrayOutputStream out, String source, long frame, double ts, boolean inferred,
                              Detections d) throws IOException {
        try (var g = JsonOutput.generator(out)) {
            g.writeStartObject();
            g.writeStringField("source", source);
            g.writeNumberField("frame", frame);
            g.writeNumberField("timestamp_ms", JsonOutput.round3(ts));
            g.writeBooleanField("inferred", inferred);
            g.writeNumberField("width", d.width());
            g.writeNumberField("height", d.height());
            g.writeArrayFieldStart("people");
            List<Instance> instances = d.instances();
            for (int i = 0; i < instances.size(); i++) {
                Instance inst = instances.get(i);
                g.writeStartObject();
                if (inst.trackId() >= 0) {
                    g.writeNumberField("track_id", inst.trackId());
                }
                g.writeStringField("label", inst.label());
                g.writeNumberField("category_id", inst.categoryId());
                g.writeNumberField("score", inst.score());
                JsonOutput.writeArray(g, "box_xyxy", JsonOutput.xyxy(inst.box()));
                JsonOutput.writeArray(g, "bbox_xywh", JsonOutput.xywh(inst.box()));
                if (inst.hasMask()) {
                    Rle rle = JsonOutput.encodeMask(d, i);
                    g.writeNumberField("area", rle.area());
                    JsonOutput.writeSegmentation(g, rle);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }
}
