package org.peopleseg.runtime.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a package's weights were obtained, when they came from a catalogue pull: the publisher's file, the
 * immutable revision it was pinned to, the hash that was verified, its licence and the day it was fetched. Stored
 * next to {@link ModelMetadata#provenance()} (which names the file the package was made from and its hash) as
 * {@code peopleseg.source.*} properties, so a package says where to get its weights again.
 *
 * @param name      the catalogue entry, e.g. "yolo11n-seg"
 * @param url       where the file was fetched from (a mirror's URL when one was used; "file:..." for --from)
 * @param revision  the publisher's immutable revision (a git commit, a hash-named file)
 * @param sha256    the verified SHA-256 of the file
 * @param licence   the weights' licence as the publisher states it
 * @param retrieved ISO-8601 date (UTC) the file was fetched or imported
 */
public record ModelSource(String name, String url, String revision, String sha256, String licence,
                          String retrieved) {
    static final String PREFIX = "peopleseg.source.";

    Map<String, String> toProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "name", name);
        m.put(PREFIX + "url", url);
        m.put(PREFIX + "revision", revision);
        m.put(PREFIX + "sha256", sha256);
        m.put(PREFIX + "licence", licence);
        m.put(PREFIX + "retrieved", retrieved);
        return m;
    }

    /** The source recorded in a package's properties, or null for packages made from a local file. */
    static ModelSource fromProperties(Map<String, String> p) {
        if (!p.containsKey(PREFIX + "url")) {
            return null;
        }
        return new ModelSource(p.getOrDefault(PREFIX + "name", ""), p.get(PREFIX + "url"),
                p.getOrDefault(PREFIX + "revision", ""), p.getOrDefault(PREFIX + "sha256", ""),
                p.getOrDefault(PREFIX + "licence", ""), p.getOrDefault(PREFIX + "retrieved", ""));
    }

    /** "yolo11n-seg from URL (revision R, sha256 H, AGPL-3.0, 2026-12-01)". */
    public String describe() {
        return name + " from " + url + " (revision " + revision + ", sha256 " + sha256 + ", " + licence
                + ", retrieved " + retrieved + ")";
    }
}
