package org.peopleseg.models.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The models and sample files peopleseg can fetch by name ({@code catalog.json} next to this class): publisher URL
 * pinned to a revision, size, hash, licence, and how each file becomes packages.
 */
public final class Catalog {
    public static final String SCHEMA = "peopleseg.catalog/1";
    private static final String RESOURCE = "catalog.json";

    private final Map<String, CatalogEntry> entries;
    private final List<CatalogEntry> order;

    private Catalog(List<CatalogEntry> list) {
        Map<String, CatalogEntry> m = new LinkedHashMap<>();
        for (CatalogEntry e : list) {
            if (m.put(e.name(), e) != null) {
                throw new IllegalArgumentException("catalogue: '" + e.name() + "' is listed twice");
            }
        }
        entries = Map.copyOf(m);
        order = List.copyOf(list);
    }

    /** The catalogue shipped with peopleseg. */
    public static Catalog builtIn() {
        try (InputStream in = Catalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the catalogue resource " + RESOURCE + " is missing from the build");
            }
            return parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A catalogue of the given entries (tests point entries at a local server this way). */
    public static Catalog of(List<CatalogEntry> list) {
        return new Catalog(list);
    }

    /** @throws IllegalArgumentException naming the entry and field that is missing or wrong */
    static Catalog parse(byte[] json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        if (!SCHEMA.equals(root.path("schema").asText())) {
            throw new IllegalArgumentException("catalogue: schema must be " + SCHEMA);
        }
        List<CatalogEntry> list = new ArrayList<>();
        for (JsonNode e : root.path("entries")) {
            String name = text(e, "name", "?");
            HashCheck hash = e.hasNonNull("sha256") ? new HashCheck(text(e, "sha256", name))
                    : new HashCheck(text(e, "sha256_prefix", name));
            List<PackageRecipe> packages = new ArrayList<>();
            for (JsonNode p : e.path("packages")) {
                String[] size = p.path("input_size").asText("960x576").split("x");
                List<String> classes = new ArrayList<>();
                p.path("classes").forEach(c -> classes.add(c.asText()));
                packages.add(new PackageRecipe(text(p, "name", name), text(p, "tool", name),
                        p.path("precision").asText("fp32"), p.path("preset").asText(""), Integer.parseInt(size[0]),
                        Integer.parseInt(size[1]), classes));
            }
            list.add(new CatalogEntry(name, text(e, "kind", name), text(e, "description", name), text(e, "file", name),
                    text(e, "url", name), text(e, "revision", name), e.path("bytes").asLong(0),
                    e.path("approx_bytes").asLong(0), hash, text(e, "licence", name),
                    e.path("permissive").asBoolean(false), packages));
        }
        return new Catalog(list);
    }

    private static String text(JsonNode node, String field, String entry) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException("catalogue entry '" + entry + "': missing text field '" + field + "'");
        }
        return v.asText();
    }

    public List<CatalogEntry> entries() {
        return order;
    }

    public Optional<CatalogEntry> find(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /** The entry whose packages include this package name (e.g. "yolo11n-seg-int8-960x576"). */
    public Optional<CatalogEntry> findByPackage(String packageName) {
        return order.stream().filter(e -> e.findPackage(packageName).isPresent()).findFirst();
    }

    /** The names a user can type, for messages. */
    public List<String> names() {
        return order.stream().map(CatalogEntry::name).toList();
    }
}
