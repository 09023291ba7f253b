package org.peopleseg.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web page's files, served from the class path: every asset is ours, so the page works offline (no CDN). The
 * set is fixed: a request names one of these, never a path.
 */
final class WebAssets {
    private static final Map<String, String> TYPES = Map.of(
            "/index.html", "text/html; charset=utf-8",
            "/app.js", "text/javascript; charset=utf-8",
            "/style.css", "text/css; charset=utf-8");

    private final Map<String, byte[]> files;

    WebAssets() {
        java.util.HashMap<String, byte[]> m = new java.util.HashMap<>();
        for (String name : TYPES.keySet()) {
            try (InputStream in = WebAssets.class.getResourceAsStream("web" + name)) {
                if (in == null) {
                    throw new IllegalStateException("missing web asset " + name);
                }
                m.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        files = Map.copyOf(m);
    }

    /** The asset for a path ("/" is the page), or null. */
    Reply get(String path) {
        String p = path.equals("/") ? "/index.html" : path;
        byte[] body = files.get(p);
        return body == null ? null : new Reply(200, TYPES.get(p), body, Map.of("Cache-Control", "no-cache"));
    }
}
