package org.peopleseg.core.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.peopleseg.core.mask.Rle;

/**
 * Reads a COCO results file (a JSON list of {@code {image_id, category_id, bbox, score, segmentation}}) the way
 * pycocotools' {@code COCO.loadRes} does, so evaluation numbers match it:
 * <ul>
 *   <li>If the <em>first</em> entry has a non-empty {@code bbox}, every entry must have one and gets
 *       {@code area = w * h} (even when it also has a mask, and even for {@code segm} evaluation).</li>
 *   <li>Otherwise every entry must have a {@code segmentation} (compressed RLE, uncompressed RLE or polygons); its
 *       area is the mask's pixel count and a missing {@code bbox} is the mask's bounding box.</li>
 *   <li>Every {@code image_id} must be an image of the ground truth; otherwise the error names the unknown ids
 *       (pycocotools only asserts).</li>
 *   <li>An RLE mask must have its image's size (pycocotools would silently give it IoU -1 with everything).</li>
 * </ul>
 * Entry order is kept: it decides ties between equal scores. An empty list is valid (nothing detected).
 */
public final class CocoResultsReader {
    private CocoResultsReader() {
    }

    public static List<CocoDetection> read(Path file, CocoDataset groundTruth) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString(), groundTruth);
        }
    }

    public static List<CocoDetection> parse(String json, String source, CocoDataset groundTruth) throws IOException {
        return parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), source, groundTruth);
    }

    public static List<CocoDetection> parse(InputStream in, String source, CocoDataset groundTruth)
            throws IOException {
        CocoJson json = new CocoJson(source);
        JsonNode root = json.readTree(in);
        if (!root.isArray()) {
            throw json.error("", "a COCO results file is a JSON list of detections"
                    + (root.isObject() && root.has("annotations") ? " (this looks like a ground-truth file)" : ""));
        }
        TreeSet<Long> unknown = new TreeSet<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode o = root.get(i);
            String entry = CocoJson.entry("results", i, o);
            if (!o.isObject()) {
                throw json.error(entry, "must be an object");
            }
            long imageId = json.requireLong(o, "image_id", entry);
            if (!groundTruth.containsImage(imageId)) {
                unknown.add(imageId);
            }
        }
        if (!unknown.isEmpty()) {
            throw json.error("", groundTruth.unknownImagesMessage(unknown));
        }
        if (root.isEmpty()) {
            return List.of();
        }
        boolean boxMode = json.optionalBox(root.get(0), "bbox", CocoJson.entry("results", 0, root.get(0))) != null;
        List<CocoDetection> out = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode o = root.get(i);
            String entry = CocoJson.entry("results", i, o);
            long imageId = json.requireLong(o, "image_id", entry);
            int categoryId = json.requireInt(o, "category_id", entry);
            double score = json.requireDouble(o, "score", entry);
            CocoBox bbox = json.optionalBox(o, "bbox", entry);
            CocoSegmentation segm = json.optionalSegmentation(o, entry);
            CocoDataset.checkMaskSize(json.source(), entry, segm, groundTruth.image(imageId).orElseThrow());
            if (boxMode) {
                if (bbox == null) {
                    throw json.error(entry, "missing 'bbox' (the first result has one, so all must)");
                }
                out.add(new CocoDetection(imageId, categoryId, bbox, score, bbox.area(), segm));
            } else {
                if (segm == null) {
                    throw json.error(entry, i == 0 ? "has neither 'bbox' nor 'segmentation'"
                            : "missing 'segmentation' (the first result has no bbox, so all need a mask)");
                }
                CocoImage image = groundTruth.image(imageId).orElseThrow();
                Rle rle;
                try {
                    rle = segm.toRle(image.height(), image.width());
                } catch (IllegalArgumentException e) { // a corrupt mask is this file's problem (fuzzing finding)
                    throw json.error(entry, e.getMessage());
                }
                CocoBox box = bbox != null ? bbox : CocoBox.of(rle.toBbox());
                out.add(new CocoDetection(imageId, categoryId, box, score, rle.area(), segm));
            }
        }
        return List.copyOf(out);
    }
}
