package org.peopleseg.core.result;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.OutputStream;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.mask.BitMask;
import org.peopleseg.core.mask.Rle;

/**
 * What the result writers share: one JSON factory and the conventions for numbers, boxes and masks, so that
 * results.json and the per-image files agree to the last digit.
 *
 * <p>Numbers: scores are written in full, as the shortest decimal that reads back as the same double (Jackson's
 * Schubfach writer; the JDK 17 {@code Double.toString} is not always shortest). Box coordinates are rounded to
 * 3 decimals (1/1000 pixel: far below any IoU threshold's sensitivity, and it spares readers
 * {@code 12.300000190734863} from float32 model outputs). {@code [x, y, w, h]} is derived from the rounded corners,
 * so {@code x + w} equals the written {@code x2} — TAO's export writes inconsistent pairs.
 */
final class JsonOutput {
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private JsonOutput() {}

    static JsonGenerator generator(OutputStream out) throws IOException {
        return FACTORY.createGenerator(out);
    }

    static double round3(double v) {
        double r = Math.round(v * 1000.0) / 1000.0;
        return r == 0 ? 0.0 : r; // no "-0.0"
    }

    /** Corners rounded to 3 decimals: [x1, y1, x2, y2]. */
    static double[] xyxy(Box box) {
        return new double[] {round3(box.x1()), round3(box.y1()), round3(box.x2()), round3(box.y2())};
    }

    /** COCO [x, y, w, h] from the rounded corners. */
    static double[] xywh(Box box) {
        double[] c = xyxy(box);
        return new double[] {c[0], c[1], round3(c[2] - c[0]), round3(c[3] - c[1])};
    }

    static void writeArray(JsonGenerator g, String field, double[] values) throws IOException {
        g.writeFieldName(field);
        g.writeArray(values, 0, values.length);
    }

    /** {@code "segmentation": {"size": [h, w], "counts": "..."}} — pycocotools' compressed RLE. */
    static void writeSegmentation(JsonGenerator g, Rle rle) throws IOException {
        g.writeObjectFieldStart("segmentation");
        g.writeFieldName("size");
        g.writeArray(new int[] {rle.height(), rle.width()}, 0, 2);
        g.writeStringField("counts", rle.toCompressedString());
        g.writeEndObject();
    }

    /** The instance's mask as RLE, checked against the image size it is written for. */
    static Rle encodeMask(Detections d, int index) {
        BitMask mask = d.instances().get(index).mask();
        if (mask.width() != d.width() || mask.height() != d.height()) {
            throw new IllegalArgumentException(d.source() + ": instance " + index + " has a " + mask.width() + "x"
                    + mask.height() + " mask but the image is " + d.width() + "x" + d.height());
        }
        return Rle.encode(mask);
    }
}
