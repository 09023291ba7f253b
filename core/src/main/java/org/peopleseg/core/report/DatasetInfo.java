package org.peopleseg.core.report;

import com.fasterxml.jackson.core.JsonFactory;
import org.peopleseg.core.io.UntrustedJson;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.peopleseg.core.dataset.CocoImage;

/**
 * What a COCO ground-truth file says about its own origin, which {@link org.peopleseg.core.dataset.CocoDataset}
 * does not keep: the {@code info} block and the {@code licenses} list. The report uses it to credit every picture
 * it shows (COCO images keep their Flickr licence id in {@code license} and their source in {@code flickr_url}).
 *
 * @param description {@code info.description}, or empty
 * @param url         {@code info.url}, or empty
 * @param contributor {@code info.contributor}, or empty
 * @param licences    licence id (as text) to licence, in file order; empty when the file has none
 */
public record DatasetInfo(String description, String url, String contributor, Map<String, Licence> licences) {

    /** One entry of COCO's {@code licenses} list. */
    public record Licence(String name, String url) {
    }

    /** Nothing known. */
    public static final DatasetInfo NONE = new DatasetInfo("", "", "", Map.of());

    public DatasetInfo {
        licences = Map.copyOf(licences);
    }

    /**
     * Reads {@code info} and {@code licenses} from a ground-truth file, skipping the rest with a streaming parser (a
     * large annotations list is not built in memory twice).
     */
    public static DatasetInfo read(Path groundTruth) throws IOException {
        try (InputStream in = Files.newInputStream(groundTruth)) {
            return read(in);
        }
    }

    public static DatasetInfo read(InputStream in) throws IOException {
        JsonFactory factory = UntrustedJson.factory();
        JsonNode info = null;
        JsonNode licenses = null;
        try (JsonParser p = factory.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return NONE;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.getCurrentName();
                p.nextToken();
                if ("info".equals(name)) {
                    info = UntrustedJson.readTree(p);
                } else if ("licenses".equals(name)) {
                    licenses = UntrustedJson.readTree(p);
                } else {
                    p.skipChildren();
                }
            }
        }
        Map<String, Licence> map = new LinkedHashMap<>();
        if (licenses != null && licenses.isArray()) {
            for (JsonNode l : licenses) {
                JsonNode id = l.get("id");
                if (id != null && id.isValueNode()) {
                    map.put(id.asText(), new Licence(text(l, "name"), text(l, "url")));
                }
            }
        }
        return new DatasetInfo(text(info, "description"), text(info, "url"), text(info, "contributor"), map);
    }

    private static String text(JsonNode obj, String field) {
        if (obj == null || !obj.isObject()) {
            return "";
        }
        JsonNode v = obj.get(field);
        return v == null || !v.isValueNode() || v.isNull() ? "" : v.asText().strip();
    }

    /** The licence an image declares in its {@code license} field, when the file lists it. */
    public Optional<Licence> licenceOf(CocoImage image) {
        return image.field("license").map(licences::get);
    }

    /**
     * Where the picture comes from: {@code flickr_url}, else {@code coco_url}, else {@code url}; empty when none.
     */
    public static Optional<String> sourceUrlOf(CocoImage image) {
        for (String f : new String[] {"flickr_url", "coco_url", "url"}) {
            Optional<String> v = image.field(f).filter(s -> !s.isBlank());
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }
}
