package org.peopleseg.optimize.calib;

import com.fasterxml.jackson.databind.JsonNode;
import org.peopleseg.core.io.UntrustedJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.peopleseg.core.io.AtomicFiles;

/**
 * The statistics of one calibration run, saved so that quantising again with another method, other exclusions or
 * another --max-drop needs no FP32 run (TensorRT's calibration cache plays the same role). Valid only for the same
 * model file and the same images, by SHA-256; histograms are stored up to their last non-empty bin.
 */
public final class CalibrationCache {
    public static final String SCHEMA = "peopleseg.calibration/1";
    private static final ObjectMapper JSON = UntrustedJson.mapper();

    private CalibrationCache() {}

    /** The cached statistics when the file exists, matches and covers every value; otherwise empty. */
    public static Optional<Map<String, TensorStats>> read(Path file, String modelSha256, String imagesDigest,
            Set<String> values) throws IOException {
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            return Optional.empty(); // a damaged cache is recomputed, not an error
        }
        if (!SCHEMA.equals(root.path("schema").asText()) || !modelSha256.equals(root.path("model_sha256").asText())
                || !imagesDigest.equals(root.path("images_sha256").asText())) {
            return Optional.empty();
        }
        Map<String, TensorStats> out = new LinkedHashMap<>();
        JsonNode tensors = root.path("tensors");
        for (String v : values) {
            JsonNode t = tensors.get(v);
            if (t == null) {
                return Optional.empty();
            }
            out.put(v, new TensorStats(t.path("min").asDouble(), t.path("max").asDouble(), t.path("count").asLong(),
                    t.path("range").asDouble(), bins(t.path("positive")), bins(t.path("negative"))));
        }
        return Optional.of(out);
    }

    public static void write(Path file, String modelSha256, String imagesDigest, int images,
            Map<String, TensorStats> stats) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("model_sha256", modelSha256);
        root.put("images_sha256", imagesDigest);
        root.put("images", images);
        root.put("bins", TensorStats.BINS);
        ObjectNode tensors = root.putObject("tensors");
        stats.forEach((name, s) -> {
            ObjectNode t = tensors.putObject(name);
            t.put("min", s.min());
            t.put("max", s.max());
            t.put("count", s.count());
            t.put("range", s.range());
            t.set("positive", trimmed(s.positive()));
            t.set("negative", trimmed(s.negative()));
        });
        AtomicFiles.writeString(file, JSON.writeValueAsString(root) + "\n");
    }

    private static ArrayNode trimmed(long[] h) {
        int last = h.length;
        while (last > 0 && h[last - 1] == 0) {
            last--;
        }
        ArrayNode a = JSON.createArrayNode();
        for (int i = 0; i < last; i++) {
            a.add(h[i]);
        }
        return a;
    }

    private static long[] bins(JsonNode a) {
        long[] h = new long[TensorStats.BINS];
        for (int i = 0; i < Math.min(a.size(), h.length); i++) {
            h[i] = a.get(i).asLong();
        }
        return h;
    }
}
