package org.peopleseg.core.dataset;

import java.util.Map;
import java.util.Optional;

/**
 * One entry of a COCO {@code images} list.
 *
 * @param id       the image id (64-bit: some datasets use large ids)
 * @param fileName relative file name, as written
 * @param width    pixels
 * @param height   pixels
 * @param fields   every other scalar field of the entry as text, nested objects flattened with dots
 *                 ({@code {"meta": {"camera_height": "10ft"}}} gives {@code "meta.camera_height" -> "10ft"}); this is
 *                 what evaluation groups by (a camera-height or source tag), so it must survive loading. Arrays are
 *                 left out.
 */
public record CocoImage(long id, String fileName, int width, int height, Map<String, String> fields) {

    public CocoImage {
        fields = Map.copyOf(fields);
    }

    public CocoImage(long id, String fileName, int width, int height) {
        this(id, fileName, width, height, Map.of());
    }

    /** A field by name: {@code id}, {@code file_name}, {@code width}, {@code height} or any extra field. */
    public Optional<String> field(String name) {
        return switch (name) {
            case "id" -> Optional.of(Long.toString(id));
            case "file_name" -> Optional.of(fileName);
            case "width" -> Optional.of(Integer.toString(width));
            case "height" -> Optional.of(Integer.toString(height));
            default -> Optional.ofNullable(fields.get(name));
        };
    }
}
