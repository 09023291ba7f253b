package org.peopleseg.core.dataset;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.peopleseg.core.io.UntrustedJson;

/**
 * Typed access to COCO JSON with error messages that name the file and the entry. Shared by the ground-truth and the
 * results readers so both report problems the same way.
 */
final class CocoJson {
    private final String source;

    CocoJson(String source) {
        this.source = source;
    }

    /** The whole file as a tree, within {@link UntrustedJson}'s limits (string, document, nesting, array sizes). */
    JsonNode readTree(InputStream in) throws CocoFormatException, IOException {
        try (JsonParser p = UntrustedJson.factory().createParser(in)) {
            JsonNode root = UntrustedJson.readTree(p);
            if (root == null || root.isMissingNode()) {
                throw error("", "the file is empty");
            }
            return root;
        } catch (StreamConstraintsException e) {
            var at = e.getLocation();
            throw error("", "refused, over a size limit" + (at == null ? "" : " (line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ")") + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw error("", "not valid JSON" + where + ": " + e.getOriginalMessage());
        }
    }

    String source() {
        return source;
    }

    CocoFormatException error(String entry, String problem) {
        return new CocoFormatException(source, entry, problem);
    }

    /** {@code "annotations[12] (id 5)"}: the list, the position and the id when there is a readable one. */
    static String entry(String list, int index, JsonNode obj) {
        JsonNode id = obj == null ? null : obj.get("id");
        return list + "[" + index + "]" + (id != null && id.isValueNode() ? " (id " + id.asText() + ")" : "");
    }

    long requireLong(JsonNode obj, String field, String entry) throws CocoFormatException {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            throw error(entry, "missing '" + field + "'");
        }
        if (!v.isNumber() || !v.canConvertToExactIntegral() || !v.canConvertToLong()) {
            throw error(entry, "'" + field + "' must be an integer, got " + v);
        }
        return v.longValue();
    }

    int requireInt(JsonNode obj, String field, String entry) throws CocoFormatException {
        long v = requireLong(obj, field, entry);
        if (v != (int) v) {
            throw error(entry, "'" + field + "' is out of the 32-bit range: " + v);
        }
        return (int) v;
    }

    double requireDouble(JsonNode obj, String field, String entry) throws CocoFormatException {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            throw error(entry, "missing '" + field + "'");
        }
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw error(entry, "'" + field + "' must be a finite number, got " + v);
        }
        return v.doubleValue();
    }

    /** A box {@code [x,y,w,h]} of finite numbers with w, h >= 0; null when the field is absent or an empty list. */
    CocoBox optionalBox(JsonNode obj, String field, String entry) throws CocoFormatException {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull() || (v.isArray() && v.isEmpty())) {
            return null;
        }
        if (!v.isArray() || v.size() != 4) {
            throw error(entry, "'" + field + "' must be [x, y, width, height], got " + v);
        }
        double[] xywh = new double[4];
        for (int i = 0; i < 4; i++) {
            JsonNode n = v.get(i);
            if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
                throw error(entry, "'" + field + "' must hold 4 finite numbers, got " + v);
            }
            xywh[i] = n.doubleValue();
        }
        if (xywh[2] < 0 || xywh[3] < 0) {
            throw error(entry, "'" + field + "' has a negative width or height: " + v);
        }
        return CocoBox.of(xywh);
    }

    /**
     * A segmentation in any COCO form: a list of polygons, an uncompressed RLE ({@code counts} a list) or a compressed
     * RLE ({@code counts} a string). Null when absent, null or an empty list (box-only annotations).
     */
    CocoSegmentation optionalSegmentation(JsonNode obj, String entry) throws CocoFormatException {
        JsonNode v = obj.get("segmentation");
        if (v == null || v.isNull() || (v.isArray() && v.isEmpty())) {
            return null;
        }
        if (v.isArray()) {
            List<double[]> parts = new ArrayList<>(v.size());
            for (int p = 0; p < v.size(); p++) {
                JsonNode poly = v.get(p);
                if (!poly.isArray() || poly.size() < 4 || poly.size() % 2 != 0) {
                    throw error(entry, "segmentation polygon " + p
                            + " must be a list of points [x1,y1,x2,y2,...] (an even count, at least 4 numbers), got "
                            + abbreviate(poly));
                }
                double[] xy = new double[poly.size()];
                for (int i = 0; i < xy.length; i++) {
                    JsonNode n = poly.get(i);
                    if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
                        throw error(entry, "segmentation polygon " + p + " holds a non-number: " + n);
                    }
                    xy[i] = n.doubleValue();
                }
                parts.add(xy);
            }
            return new CocoSegmentation.Polygons(parts);
        }
        if (!v.isObject()) {
            throw error(entry, "'segmentation' must be a list of polygons or an RLE object, got " + abbreviate(v));
        }
        JsonNode size = v.get("size");
        if (size == null || !size.isArray() || size.size() != 2 || !size.get(0).canConvertToExactIntegral()
                || !size.get(1).canConvertToExactIntegral() || size.get(0).intValue() < 0
                || size.get(1).intValue() < 0) {
            throw error(entry, "RLE segmentation needs \"size\": [height, width], got " + size);
        }
        int h = size.get(0).intValue();
        int w = size.get(1).intValue();
        JsonNode counts = v.get("counts");
        if (counts != null && counts.isTextual()) {
            return new CocoSegmentation.CompressedRle(h, w, counts.textValue());
        }
        if (counts != null && counts.isArray()) {
            long[] runs = new long[counts.size()];
            long total = 0;
            for (int i = 0; i < runs.length; i++) {
                JsonNode n = counts.get(i);
                if (!n.isNumber() || !n.canConvertToExactIntegral() || n.longValue() < 0) {
                    throw error(entry, "RLE counts must be non-negative integers, got " + n + " at position " + i);
                }
                runs[i] = n.longValue();
                if (runs[i] > (long) h * w - total) { // stop at once: also keeps the sum from overflowing
                    String sum = Long.MAX_VALUE - runs[i] < total ? "more than 2^63" : String.valueOf(total + runs[i]);
                    throw error(entry, "RLE counts sum to " + sum + " after " + (i + 1) + " of " + runs.length
                            + " runs but size " + h + "x" + w + " has " + (long) h * w + " pixels");
                }
                total += runs[i];
            }
            if (total != (long) h * w) {
                throw error(entry, "RLE counts sum to " + total + " but size " + h + "x" + w + " has " + (long) h * w
                        + " pixels");
            }
            return new CocoSegmentation.UncompressedRle(h, w, runs);
        }
        throw error(entry, "RLE segmentation needs \"counts\" as a string (compressed) or a list (uncompressed)");
    }

    static String abbreviate(JsonNode n) {
        String s = String.valueOf(n);
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
