package org.peopleseg.core.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * COCO instances ground truth: images, annotations and categories, in file order.
 *
 * <p>Loaded eagerly with Jackson's tree model (the 768 KB {@code coco-person} file loads in tens of milliseconds);
 * segmentations stay in their written form ({@link CocoSegmentation}) until an evaluation needs masks. Loading checks
 * what evaluation relies on and fails with a {@link CocoFormatException} naming the file and the entry: duplicate
 * image or annotation ids, annotations of unknown images or categories, malformed boxes and segmentations. Unknown
 * fields are kept for images ({@link CocoImage#fields()}, used for grouping) and ignored elsewhere.
 */
public final class CocoDataset {
    private final String source;
    private final List<CocoImage> images;
    private final Map<Long, CocoImage> imagesById;
    private final List<CocoAnnotation> annotations;
    private final Map<Long, List<CocoAnnotation>> annotationsByImage;
    private final List<CocoCategory> categories;

    private CocoDataset(String source, List<CocoImage> images, List<CocoAnnotation> annotations,
            List<CocoCategory> categories) throws CocoFormatException {
        this.source = source;
        this.images = List.copyOf(images);
        this.annotations = List.copyOf(annotations);
        this.categories = List.copyOf(categories);
        Map<Long, CocoImage> byId = new HashMap<>();
        for (int i = 0; i < images.size(); i++) {
            CocoImage im = images.get(i);
            if (byId.putIfAbsent(im.id(), im) != null) {
                throw new CocoFormatException(source, "images[" + i + "] (id " + im.id() + ")", "duplicate image id");
            }
        }
        Map<Integer, CocoCategory> cats = new HashMap<>();
        for (int i = 0; i < categories.size(); i++) {
            if (cats.putIfAbsent(categories.get(i).id(), categories.get(i)) != null) {
                throw new CocoFormatException(source, "categories[" + i + "] (id " + categories.get(i).id() + ")",
                        "duplicate category id");
            }
        }
        Map<Long, Integer> annIds = new HashMap<>();
        Map<Long, List<CocoAnnotation>> byImage = new HashMap<>();
        for (int i = 0; i < annotations.size(); i++) {
            CocoAnnotation a = annotations.get(i);
            String entry = "annotations[" + i + "] (id " + a.id() + ")";
            Integer previous = annIds.putIfAbsent(a.id(), i);
            if (previous != null) {
                throw new CocoFormatException(source, entry, "duplicate annotation id (also annotations[" + previous
                        + "])");
            }
            if (!byId.containsKey(a.imageId())) {
                throw new CocoFormatException(source, entry, "image_id " + a.imageId() + " is not in 'images'");
            }
            if (!cats.containsKey(a.categoryId())) {
                throw new CocoFormatException(source, entry, "category_id " + a.categoryId()
                        + " is not in 'categories'");
            }
            checkMaskSize(source, entry, a.segmentation(), byId.get(a.imageId()));
            byImage.computeIfAbsent(a.imageId(), k -> new ArrayList<>()).add(a);
        }
        byImage.replaceAll((k, v) -> List.copyOf(v));
        this.imagesById = byId;
        this.annotationsByImage = byImage;
    }

    /** Fails when an RLE's declared size is not its image's (see {@link CocoSegmentation#declaredSize()}). */
    static void checkMaskSize(String source, String entry, CocoSegmentation segm, CocoImage image)
            throws CocoFormatException {
        int[] size = segm == null ? null : segm.declaredSize();
        if (size != null && (size[0] != image.height() || size[1] != image.width())) {
            throw new CocoFormatException(source, entry, "segmentation size [" + size[0] + ", " + size[1]
                    + "] (height, width) differs from image " + image.id() + " (" + image.height() + ", "
                    + image.width() + ")");
        }
    }

    /** A dataset built in memory (tests, converters); checked like a file. */
    public static CocoDataset of(String source, List<CocoImage> images, List<CocoAnnotation> annotations,
            List<CocoCategory> categories) throws CocoFormatException {
        return new CocoDataset(source, images, annotations, categories);
    }

    public static CocoDataset read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        }
    }

    /** Parses JSON text; {@code source} names it in error messages. */
    public static CocoDataset parse(String json, String source) throws IOException {
        return parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), source);
    }

    public static CocoDataset parse(InputStream in, String source) throws IOException {
        CocoJson json = new CocoJson(source);
        JsonNode root = json.readTree(in);
        if (!root.isObject()) {
            throw json.error("", "a COCO ground-truth file is a JSON object with 'images', 'annotations' and "
                    + "'categories'" + (root.isArray() ? " (this is a list: a results file?)" : ""));
        }
        return new CocoDataset(source, readImages(json, list(json, root, "images")),
                readAnnotations(json, list(json, root, "annotations")),
                readCategories(json, list(json, root, "categories")));
    }

    private static JsonNode list(CocoJson json, JsonNode root, String name) throws CocoFormatException {
        JsonNode v = root.get(name);
        if (v == null || v.isNull()) {
            throw json.error("", "missing '" + name + "' list");
        }
        if (!v.isArray()) {
            throw json.error("", "'" + name + "' must be a list");
        }
        return v;
    }

    private static List<CocoImage> readImages(CocoJson json, JsonNode list) throws CocoFormatException {
        List<CocoImage> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode o = list.get(i);
            String entry = CocoJson.entry("images", i, o);
            if (!o.isObject()) {
                throw json.error(entry, "must be an object");
            }
            long id = json.requireLong(o, "id", entry);
            int width = json.requireInt(o, "width", entry);
            int height = json.requireInt(o, "height", entry);
            if (width <= 0 || height <= 0) {
                throw json.error(entry, "width and height must be positive, got " + width + "x" + height);
            }
            JsonNode fn = o.get("file_name");
            String fileName = fn == null || fn.isNull() ? "" : fn.asText();
            Map<String, String> fields = new LinkedHashMap<>();
            flatten("", o, fields);
            for (String k : List.of("id", "width", "height", "file_name")) {
                fields.remove(k);
            }
            out.add(new CocoImage(id, fileName, width, height, fields));
        }
        return out;
    }

    private static void flatten(String prefix, JsonNode obj, Map<String, String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            String key = prefix + e.getKey();
            if (v.isObject()) {
                flatten(key + ".", v, out);
            } else if (v.isValueNode() && !v.isNull()) {
                out.put(key, v.asText());
            }
        }
    }

    private static List<CocoAnnotation> readAnnotations(CocoJson json, JsonNode list) throws CocoFormatException {
        List<CocoAnnotation> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode o = list.get(i);
            String entry = CocoJson.entry("annotations", i, o);
            if (!o.isObject()) {
                throw json.error(entry, "must be an object");
            }
            long id = json.requireLong(o, "id", entry);
            long imageId = json.requireLong(o, "image_id", entry);
            int categoryId = json.requireInt(o, "category_id", entry);
            CocoBox bbox = json.optionalBox(o, "bbox", entry);
            if (bbox == null) {
                throw json.error(entry, "missing 'bbox' [x, y, width, height]");
            }
            JsonNode areaNode = o.get("area");
            double area = areaNode == null || areaNode.isNull() ? bbox.area() : json.requireDouble(o, "area", entry);
            JsonNode crowdNode = o.get("iscrowd");
            boolean crowd;
            if (crowdNode == null || crowdNode.isNull()) {
                crowd = false;
            } else if (crowdNode.isBoolean()) {
                crowd = crowdNode.booleanValue();
            } else if (crowdNode.isNumber() && crowdNode.canConvertToExactIntegral()) {
                crowd = crowdNode.longValue() != 0;
            } else {
                throw json.error(entry, "'iscrowd' must be 0 or 1, got " + crowdNode);
            }
            out.add(new CocoAnnotation(id, imageId, categoryId, bbox, area, crowd,
                    json.optionalSegmentation(o, entry)));
        }
        return out;
    }

    private static List<CocoCategory> readCategories(CocoJson json, JsonNode list) throws CocoFormatException {
        List<CocoCategory> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode o = list.get(i);
            String entry = CocoJson.entry("categories", i, o);
            if (!o.isObject()) {
                throw json.error(entry, "must be an object");
            }
            int id = json.requireInt(o, "id", entry);
            JsonNode name = o.get("name");
            JsonNode sup = o.get("supercategory");
            out.add(new CocoCategory(id, name == null || name.isNull() ? "" : name.asText(),
                    sup == null || sup.isNull() ? "" : sup.asText()));
        }
        return out;
    }

    /** Where the dataset came from (a file path), for messages. */
    public String source() {
        return source;
    }

    /** In file order. */
    public List<CocoImage> images() {
        return images;
    }

    public Optional<CocoImage> image(long id) {
        return Optional.ofNullable(imagesById.get(id));
    }

    public boolean containsImage(long id) {
        return imagesById.containsKey(id);
    }

    /** In file order. */
    public List<CocoAnnotation> annotations() {
        return annotations;
    }

    /** The annotations of one image, in file order; empty for images without objects. */
    public List<CocoAnnotation> annotationsOf(long imageId) {
        return annotationsByImage.getOrDefault(imageId, Collections.emptyList());
    }

    /**
     * Fails when a detection refers to an image this dataset does not have, naming the unknown ids: such results
     * were made for another data set (or another split), and silently dropping them would report wrong numbers.
     *
     * @throws IllegalArgumentException naming the unknown image ids
     */
    public void requireKnownImages(List<CocoDetection> detections) {
        TreeSet<Long> unknown = new TreeSet<>();
        for (CocoDetection d : detections) {
            if (!imagesById.containsKey(d.imageId())) {
                unknown.add(d.imageId());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(unknownImagesMessage(unknown));
        }
    }

    /** "results for image ids absent from the ground truth gt.json: 7, 9 (2 ids)", at most 20 ids listed. */
    String unknownImagesMessage(SortedSet<Long> unknown) {
        StringBuilder sb = new StringBuilder("results for image ids absent from the ground truth ").append(source)
                .append(": ");
        int n = 0;
        for (long id : unknown) {
            if (n == 20) {
                sb.append(", ...");
                break;
            }
            sb.append(n == 0 ? "" : ", ").append(id);
            n++;
        }
        return sb.append(" (").append(unknown.size()).append(unknown.size() == 1 ? " id)" : " ids)").toString();
    }

    public List<CocoCategory> categories() {
        return categories;
    }

    /**
     * Whether mask ({@code segm}) evaluation is possible: there is at least one annotation and every annotation has
     * a segmentation. Box-only datasets (e.g. CCTV sets labelled with rectangles) answer false.
     */
    public boolean hasMasks() {
        if (annotations.isEmpty()) {
            return false;
        }
        for (CocoAnnotation a : annotations) {
            if (!a.hasSegmentation()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "CocoDataset[" + source + ": " + images.size() + " images, " + annotations.size() + " annotations, "
                + categories.size() + " categories]";
    }
}
