package org.peopleseg.video.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.peopleseg.video.pipeline.StreamOptions;
import org.peopleseg.video.sink.AnnotatedVideoSink;
import org.peopleseg.video.sink.OutputSelection;
import org.peopleseg.video.sink.kafka.KafkaTarget;
import org.peopleseg.video.source.SourceSpec;
import org.peopleseg.video.track.TrackerConfig;

/**
 * The {@code peopleseg stream --config APP.yml} file: YAML with deepstream-app's groups (application, sources,
 * streammux, primary-gie, tracker, osd, sinks) and DeepStream's key names where they mean the same
 * ({@code batched-push-timeout}, {@code pre-cluster-threshold}, {@code interval}). Every key is optional except
 * {@code sources} and {@code primary-gie.model}; relative paths are relative to the config file, as in
 * deepstream-app. Unknown keys are errors (a misspelt key must not be silently ignored); errors name the file,
 * line and column.
 */
public final class StreamConfigFile {
    private StreamConfigFile() {}

    /** The file's shape; nulls are "not given". */
    record Root(Application application, List<Source> sources, Streammux streammux,
                @JsonProperty("primary-gie") PrimaryGie primaryGie, Tracker tracker, Osd osd, Sinks sinks) {}

    record Application(String outputDir, Double perfIntervalS, Double durationS) {}

    record Source(String uri, String name, Boolean live, Integer loops, Double fps, Long timeoutMs,
                  Integer maxReconnects) {}

    record Streammux(Long batchedPushTimeout, Integer queueFrames, Long maxFrames) {}

    record PrimaryGie(String model, Double preClusterThreshold, Integer interval, Integer threads) {}

    record Tracker(Boolean enable, Double highThreshold, Double lowThreshold, Double newTrackThreshold,
                   Double matchIou, Double secondMatchIou, Integer maxAge, Integer minHits, Boolean maskIou) {}

    record Osd(Boolean masks, Boolean boxes, Boolean labels, Boolean statusLine, Double maskAlpha) {}

    record Sinks(Video video, Boolean jsonl, Boolean mot, Kafka kafka) {}

    /** {@code sinks: {kafka: {bootstrap: "host:9092", topic: people, buffer-frames: 1000}}} */
    record Kafka(String bootstrap, String topic, Integer bufferFrames, Long startTimeoutMs, Long closeTimeoutMs) {}

    record Video(Boolean enable, Integer bitrateKbps, Double scale) {}

    /** A stream config is a page of YAML: anything larger is refused before it is read. */
    static final long MAX_CONFIG_BYTES = 1 << 20;

    /**
     * SnakeYAML's own limits, set explicitly: size in code points, nesting, and aliases per collection (the
     * "billion laughs" expansion); plus the JSON stream limits for strings, numbers and names.
     */
    private static org.yaml.snakeyaml.LoaderOptions loaderOptions() {
        org.yaml.snakeyaml.LoaderOptions o = new org.yaml.snakeyaml.LoaderOptions();
        o.setCodePointLimit((int) MAX_CONFIG_BYTES);
        o.setNestingDepthLimit(32);
        o.setMaxAliasesForCollections(20);
        o.setAllowRecursiveKeys(false);
        return o;
    }

    // strict duplicate detection: FAIL_ON_READING_DUP_TREE_KEY only covers JsonNode trees, not these records
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).loaderOptions(loaderOptions())
                    .streamReadConstraints(org.peopleseg.core.io.UntrustedJson.constraints()).build())
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    /** Reads and validates {@code file}. */
    public static StreamSetup load(Path file) throws ConfigException {
        Root root;
        String text = null;
        try {
            if (Files.isRegularFile(file) && Files.size(file) > MAX_CONFIG_BYTES) {
                throw new ConfigException(file + ": " + Files.size(file) + " bytes is too large for a stream config"
                        + " (limit " + MAX_CONFIG_BYTES + ")");
            }
            text = Files.readString(file);
            if (text.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
                throw new ConfigException(file + ": empty config (it needs at least 'sources' and "
                        + "'primary-gie.model'; see examples/vtest.yml)");
            }
            root = YAML.readValue(text, Root.class);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", "));
            // Jackson reports an unknown key of a record at the end of its group: point at the key itself
            JsonLocation key = keyLocation(text, e.getPath());
            String where = key != null ? file + ":" + key.getLineNr() + ":" + key.getColumnNr() + ": "
                    : where(file, e);
            throw new ConfigException(where + "unknown key '" + e.getPropertyName() + "'"
                    + inGroup(e) + " (known: " + known + ")");
        } catch (JsonProcessingException e) {
            throw new ConfigException(where(file, e) + e.getOriginalMessage().lines().findFirst().orElse("invalid")
                    + inGroup(e));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        if (root == null) {
            throw new ConfigException(file + ": empty config");
        }
        try {
            return resolve(root, file.toAbsolutePath().getParent());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
    }

    private static String where(Path file, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        return loc == null ? file + ": " : file + ":" + loc.getLineNr() + ":" + loc.getColumnNr() + ": ";
    }

    /** Where the key at {@code path} is in {@code yaml}, or null (found again with a streaming parser). */
    static JsonLocation keyLocation(String yaml, List<JsonMappingException.Reference> path) {
        if (yaml == null || path.isEmpty()) {
            return null;
        }
        try (JsonParser p = YAML.getFactory().createParser(yaml)) {
            p.nextToken();
            for (int depth = 0; depth < path.size(); depth++) {
                JsonMappingException.Reference r = path.get(depth);
                boolean last = depth == path.size() - 1;
                if (r.getFieldName() != null) {
                    if (p.currentToken() != JsonToken.START_OBJECT) {
                        return null;
                    }
                    boolean found = false;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        if (r.getFieldName().equals(p.currentName())) {
                            if (last) {
                                return p.currentTokenLocation();
                            }
                            p.nextToken();
                            found = true;
                            break;
                        }
                        p.nextToken();
                        p.skipChildren();
                    }
                    if (!found) {
                        return null;
                    }
                } else {
                    if (p.currentToken() != JsonToken.START_ARRAY || r.getIndex() < 0) {
                        return null;
                    }
                    for (int i = 0; i <= r.getIndex(); i++) {
                        if (p.nextToken() == JsonToken.END_ARRAY) {
                            return null;
                        }
                        if (i < r.getIndex()) {
                            p.skipChildren();
                        }
                    }
                    if (last) {
                        return p.currentTokenLocation();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return null; // only a better line number was lost
        }
        return null;
    }

    private static String inGroup(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException m) || m.getPath().isEmpty()) {
            return "";
        }
        String path = m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return " at " + path;
    }

    static StreamSetup resolve(Root root, Path base) {
        if (root.sources() == null || root.sources().isEmpty()) {
            throw new IllegalArgumentException("'sources' must list at least one source");
        }
        if (root.primaryGie() == null || root.primaryGie().model() == null) {
            throw new IllegalArgumentException("'primary-gie.model' is required (a model package, .onnx)");
        }
        List<SourceSpec> sources = new ArrayList<>();
        for (int i = 0; i < root.sources().size(); i++) {
            Source s = root.sources().get(i);
            if (s == null || s.uri() == null || s.uri().isBlank()) {
                throw new IllegalArgumentException("sources[" + i + "]: 'uri' is required");
            }
            String uri = s.uri().matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") || s.uri().startsWith("/") ? s.uri()
                    : base.resolve(s.uri()).normalize().toString();
            SourceSpec spec = SourceSpec.of(uri);
            if (s.name() != null) {
                if (!s.name().matches("[A-Za-z0-9._-]+")) {
                    throw new IllegalArgumentException("sources[" + i + "].name '" + s.name()
                            + "': use letters, digits, '.', '_' or '-' (it names the output files)");
                }
                spec = spec.withName(s.name());
            }
            spec = spec.withLive(Objects.requireNonNullElse(s.live(), false))
                    .withLoops(Objects.requireNonNullElse(s.loops(), 1))
                    .withFrameRate(Objects.requireNonNullElse(s.fps(), 0.0))
                    .withNetwork(Objects.requireNonNullElse(s.timeoutMs(), SourceSpec.DEFAULT_TIMEOUT_MS),
                            Objects.requireNonNullElse(s.maxReconnects(), SourceSpec.DEFAULT_MAX_RECONNECTS));
            sources.add(spec);
        }
        StreamOptions d = StreamOptions.defaults();
        Streammux mux = root.streammux() != null ? root.streammux() : new Streammux(null, null, null);
        PrimaryGie gie = root.primaryGie();
        Application app = root.application() != null ? root.application() : new Application(null, null, null);
        TrackerConfig tracker = tracker(root.tracker());
        StreamOptions options = new StreamOptions(
                Objects.requireNonNullElse(gie.interval(), d.interval()),
                Objects.requireNonNullElse(mux.batchedPushTimeout(), d.batchTimeoutMs()),
                Objects.requireNonNullElse(mux.queueFrames(), d.queueFrames()),
                tracker,
                Objects.requireNonNullElse(app.perfIntervalS(), d.perfIntervalSeconds()),
                Objects.requireNonNullElse(mux.maxFrames(), d.maxFrames()),
                Objects.requireNonNullElse(app.durationS(), d.maxSeconds()));
        Osd osd = root.osd() != null ? root.osd() : new Osd(null, null, null, null, null);
        AnnotatedVideoSink.Options dv = AnnotatedVideoSink.Options.defaults();
        Sinks sinks = root.sinks() != null ? root.sinks() : new Sinks(null, null, null, null);
        Video video = sinks.video() != null ? sinks.video() : new Video(null, null, null);
        AnnotatedVideoSink.Options vo = new AnnotatedVideoSink.Options(
                Objects.requireNonNullElse(osd.masks(), dv.masks()),
                Objects.requireNonNullElse(osd.boxes(), dv.boxes()),
                Objects.requireNonNullElse(osd.labels(), dv.labels()),
                Objects.requireNonNullElse(osd.statusLine(), dv.statusLine()),
                (float) (double) Objects.requireNonNullElse(osd.maskAlpha(), (double) dv.maskAlpha()),
                Objects.requireNonNullElse(video.bitrateKbps(), dv.bitrateKbps()),
                Objects.requireNonNullElse(video.scale(), dv.scale()));
        if (!(vo.maskAlpha() >= 0 && vo.maskAlpha() <= 1)) {
            throw new IllegalArgumentException("osd.mask-alpha must be in [0, 1], got " + vo.maskAlpha());
        }
        if (vo.bitrateKbps() < 0) {
            throw new IllegalArgumentException("sinks.video.bitrate-kbps must be 0 (automatic) or more");
        }
        boolean mot = Objects.requireNonNullElse(sinks.mot(), tracker != null);
        if (mot && tracker == null) {
            throw new IllegalArgumentException("sinks.mot needs the tracker (MOT lines carry track ids)");
        }
        Path out = base.resolve(app.outputDir() != null ? app.outputDir() : "stream-out").normalize();
        OutputSelection outputs = new OutputSelection(out, Objects.requireNonNullElse(video.enable(), true),
                Objects.requireNonNullElse(sinks.jsonl(), true), mot, vo);
        double threshold = gie.preClusterThreshold() != null ? gie.preClusterThreshold()
                : StreamSetup.defaultThreshold(options);
        return new StreamSetup(StreamSetup.uniqueNames(sources), base.resolve(gie.model()).normalize(), threshold,
                Objects.requireNonNullElse(gie.threads(), 0), options, outputs, kafka(sinks.kafka()));
    }

    private static KafkaTarget kafka(Kafka k) {
        if (k == null) {
            return null;
        }
        try {
            return new KafkaTarget(k.bootstrap(), k.topic(),
                    Objects.requireNonNullElse(k.bufferFrames(), KafkaTarget.DEFAULT_BUFFER_FRAMES),
                    Objects.requireNonNullElse(k.startTimeoutMs(), KafkaTarget.DEFAULT_START_TIMEOUT_MS),
                    Objects.requireNonNullElse(k.closeTimeoutMs(), KafkaTarget.DEFAULT_CLOSE_TIMEOUT_MS));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sinks.kafka: " + e.getMessage());
        }
    }

    private static TrackerConfig tracker(Tracker t) {
        TrackerConfig d = TrackerConfig.defaults();
        if (t == null) {
            return d;
        }
        if (Boolean.FALSE.equals(t.enable())) {
            return null;
        }
        try {
            return new TrackerConfig(
                    Objects.requireNonNullElse(t.highThreshold(), d.highThreshold()),
                    Objects.requireNonNullElse(t.lowThreshold(), d.lowThreshold()),
                    Objects.requireNonNullElse(t.newTrackThreshold(), d.newTrackThreshold()),
                    Objects.requireNonNullElse(t.matchIou(), d.matchIou()),
                    Objects.requireNonNullElse(t.secondMatchIou(), d.secondMatchIou()),
                    Objects.requireNonNullElse(t.maxAge(), d.maxAge()),
                    Objects.requireNonNullElse(t.minHits(), d.minHits()),
                    Objects.requireNonNullElse(t.maskIou(), d.useMaskIou()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tracker: " + e.getMessage());
        }
    }
}
