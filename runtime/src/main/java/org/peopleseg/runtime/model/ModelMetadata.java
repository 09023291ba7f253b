package org.peopleseg.runtime.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a peopleseg model package says about itself, stored as ONNX metadata_props so the .onnx file alone is the
 * package: which architecture and pre-processing it needs, its labels, and where its weights came from.
 *
 * @param architecture "maskrcnn" (later "yolo-seg")
 * @param specText     the resolved experiment spec (TAO text format) the graph was built from
 * @param inputWidth   network canvas width (or longest side for min/max resizing)
 * @param inputHeight  canvas height (or shorter side)
 * @param resize       "fit_pad" or "min_max"
 * @param mean         per channel (RGB) on pixel/255
 * @param std          per channel
 * @param labels       class names by class index (index 0 = background for Mask R-CNN)
 * @param categoryIds  COCO category id per class index
 * @param precision    "fp32" or "int8"
 * @param provenance   where the weights came from (file name, sha256, or "deterministic, untrained")
 * @param licence      the weights' licence as far as known
 * @param source       where the weights were downloaded from (a catalogue pull), or null
 */
public record ModelMetadata(String architecture, String specText, int inputWidth, int inputHeight, String resize,
                            double[] mean, double[] std, List<String> labels, List<Integer> categoryIds,
                            String precision, String provenance, String licence, ModelSource source) {

    public static final String FORMAT = "peopleseg.format";
    public static final int FORMAT_VERSION = 1;

    /** A package made from a local file (no download source). */
    public ModelMetadata(String architecture, String specText, int inputWidth, int inputHeight, String resize,
                         double[] mean, double[] std, List<String> labels, List<Integer> categoryIds,
                         String precision, String provenance, String licence) {
        this(architecture, specText, inputWidth, inputHeight, resize, mean, std, labels, categoryIds, precision,
                provenance, licence, null);
    }

    public ModelMetadata {
        labels = List.copyOf(labels);
        categoryIds = List.copyOf(categoryIds);
        if (labels.size() != categoryIds.size()) {
            throw new IllegalArgumentException(labels.size() + " labels but " + categoryIds.size() + " category ids");
        }
    }

    /** True for packages built from untrained weights (the deterministic formula says so in its provenance). */
    public boolean untrained() {
        String p = provenance.toLowerCase(java.util.Locale.ROOT);
        return p.contains("untrained") || p.contains("deterministic");
    }

    /** The same metadata with the download source recorded. */
    public ModelMetadata withSource(ModelSource newSource) {
        return new ModelMetadata(architecture, specText, inputWidth, inputHeight, resize, mean, std, labels,
                categoryIds, precision, provenance, licence, newSource);
    }

    public Map<String, String> toProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(FORMAT, Integer.toString(FORMAT_VERSION));
        m.put("peopleseg.architecture", architecture);
        m.put("peopleseg.input_size", inputWidth + "x" + inputHeight);
        m.put("peopleseg.resize", resize);
        m.put("peopleseg.mean", join(mean));
        m.put("peopleseg.std", join(std));
        m.put("peopleseg.labels", String.join(",", labels));
        m.put("peopleseg.category_ids", String.join(",", categoryIds.stream().map(String::valueOf).toList()));
        m.put("peopleseg.precision", precision);
        m.put("peopleseg.provenance", provenance);
        m.put("peopleseg.licence", licence);
        if (source != null) {
            m.putAll(source.toProperties());
        }
        m.put("peopleseg.spec", specText);
        return m;
    }

    /** @throws IllegalArgumentException naming the missing or bad property */
    public static ModelMetadata fromProperties(Map<String, String> p) {
        if (!p.containsKey(FORMAT)) {
            throw new IllegalArgumentException("not a peopleseg model package (no " + FORMAT + " metadata property); "
                    + "make one with 'peopleseg build' or 'peopleseg import'");
        }
        String[] size = get(p, "peopleseg.input_size").split("x", -1);
        if (size.length != 2) {
            throw bad("peopleseg.input_size", p, "WIDTHxHEIGHT");
        }
        return new ModelMetadata(get(p, "peopleseg.architecture"), p.getOrDefault("peopleseg.spec", ""),
                integer(size[0], "peopleseg.input_size", p), integer(size[1], "peopleseg.input_size", p),
                get(p, "peopleseg.resize"), parse(p, "peopleseg.mean"), parse(p, "peopleseg.std"),
                List.of(get(p, "peopleseg.labels").split(",")),
                java.util.Arrays.stream(get(p, "peopleseg.category_ids").split(","))
                        .map(id -> integer(id, "peopleseg.category_ids", p)).toList(),
                p.getOrDefault("peopleseg.precision", "fp32"), p.getOrDefault("peopleseg.provenance", "unknown"),
                p.getOrDefault("peopleseg.licence", "unknown"), ModelSource.fromProperties(p));
    }

    private static String get(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null) {
            throw new IllegalArgumentException("model package lacks metadata property " + key);
        }
        return v;
    }

    private static String join(double[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ",").append(v[i]);
        }
        return b.toString();
    }

    // Numbers are checked here so that a corrupt package is refused naming the property (fuzzing finding), not
    // with a bare NumberFormatException.
    private static double[] parse(Map<String, String> p, String key) {
        try {
            return java.util.Arrays.stream(get(p, key).split(",")).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw bad(key, p, "comma-separated numbers");
        }
    }

    private static int integer(String s, String key, Map<String, String> p) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw bad(key, p, "integers");
        }
    }

    private static IllegalArgumentException bad(String key, Map<String, String> p, String expected) {
        String v = p.get(key);
        return new IllegalArgumentException("model package metadata property " + key + " is '"
                + (v.length() > 40 ? v.substring(0, 40) + "..." : v) + "', not " + expected);
    }
}
