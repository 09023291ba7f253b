package org.peopleseg.video.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.video.pipeline.StreamOptions;
import org.peopleseg.video.sink.AnnotatedVideoSink;
import org.peopleseg.video.sink.OutputSelection;
import org.peopleseg.video.source.SourceKind;
import org.peopleseg.video.source.SourceSpec;
import org.peopleseg.video.track.TrackerConfig;

/** deepstream-app style YAML: every group, defaults, relative paths, and errors that point at the line. */
class StreamConfigFileTest {
    @TempDir
    Path dir;

    static final String COMPLETE = """
            # every group and key
            application:
              output-dir: out/run1
              perf-interval-s: 2.5
              duration-s: 3600
            sources:
              - uri: videos/vtest.avi
                name: entrance
                live: true
                loops: 0
              - uri: frames/
                fps: 7.5
              - uri: rtsp://10.0.0.5/stream?subtype=1
                timeout-ms: 4000
                max-reconnects: 20
              - uri: camera:1
              - uri: /abs/clip.mp4
            streammux:
              batched-push-timeout: 33
              queue-frames: 6
              max-frames: 500
            primary-gie:
              model: ../models/people.onnx
              pre-cluster-threshold: 0.25
              interval: 2
              threads: 3
            tracker:
              enable: true
              high-threshold: 0.55
              low-threshold: 0.15
              new-track-threshold: 0.7
              match-iou: 0.35
              second-match-iou: 0.45
              max-age: 50
              min-hits: 2
              mask-iou: true
            osd:
              masks: false
              boxes: true
              labels: false
              status-line: false
              mask-alpha: 0.3
            sinks:
              video:
                enable: true
                bitrate-kbps: 1500
              jsonl: true
              mot: true
            """;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    private ConfigException fails(String yaml) throws Exception {
        Path f = write("conf/app.yml", yaml);
        return assertThrows(ConfigException.class, () -> StreamConfigFile.load(f));
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "'" + p + "' missing in: " + message);
        }
    }

    @Test
    void completeConfigLoads() throws Exception {
        Path conf = write("configs/app.yml", COMPLETE);
        Path base = conf.getParent().toAbsolutePath();
        Files.createDirectories(base.resolve("frames"));
        StreamSetup s = StreamConfigFile.load(conf);

        List<SourceSpec> src = s.sources();
        assertEquals(5, src.size());
        assertEquals(new SourceSpec(base.resolve("videos/vtest.avi").toString(), "entrance", SourceKind.FILE, true, 0,
                0, SourceSpec.DEFAULT_TIMEOUT_MS, SourceSpec.DEFAULT_MAX_RECONNECTS), src.get(0));
        assertEquals(SourceKind.IMAGES, src.get(1).kind(), "a folder relative to the config file");
        assertEquals(base.resolve("frames").toString(), src.get(1).uri());
        assertEquals("frames", src.get(1).name());
        assertEquals(7.5, src.get(1).frameRate());
        assertFalse(src.get(1).live());
        assertEquals("rtsp://10.0.0.5/stream?subtype=1", src.get(2).uri(), "URLs are not paths");
        assertEquals(SourceKind.NETWORK, src.get(2).kind());
        assertEquals("stream", src.get(2).name());
        assertTrue(src.get(2).live());
        assertEquals(4000, src.get(2).timeoutMs());
        assertEquals(20, src.get(2).maxReconnects());
        assertEquals("camera:1", src.get(3).uri());
        assertEquals(SourceKind.CAMERA, src.get(3).kind());
        assertEquals("/abs/clip.mp4", src.get(4).uri(), "absolute paths stay as they are");
        assertEquals(1, src.get(4).loops());

        assertEquals(base.resolve("../models/people.onnx").normalize(), s.model());
        assertEquals(0.25, s.scoreThreshold());
        assertEquals(3, s.threads());

        StreamOptions o = s.options();
        assertEquals(2, o.interval());
        assertEquals(33, o.batchTimeoutMs());
        assertEquals(6, o.queueFrames());
        assertEquals(500, o.maxFrames());
        assertEquals(2.5, o.perfIntervalSeconds());
        assertEquals(3600, o.maxSeconds());
        assertEquals(new TrackerConfig(0.55, 0.15, 0.7, 0.35, 0.45, 50, 2, true), o.tracker());

        OutputSelection out = s.outputs();
        assertEquals(base.resolve("out/run1"), out.directory());
        assertTrue(out.video());
        assertTrue(out.jsonl());
        assertTrue(out.mot());
        assertEquals(new AnnotatedVideoSink.Options(false, true, false, false, 0.3f, 1500), out.videoOptions());
    }

    @Test
    void minimalConfigTakesTheDefaults() throws Exception {
        Path conf = write("min/app.yml", """
                sources:
                  - uri: vtest.avi
                primary-gie:
                  model: people.onnx
                """);
        Path base = conf.getParent().toAbsolutePath();
        StreamSetup s = StreamConfigFile.load(conf);
        assertEquals(List.of(SourceSpec.of(base.resolve("vtest.avi").toString())), s.sources());
        assertEquals("vtest", s.sources().get(0).name());
        assertEquals(base.resolve("people.onnx"), s.model());
        assertEquals(StreamOptions.defaults(), s.options());
        assertEquals(TrackerConfig.DEFAULT_LOW_THRESHOLD, s.scoreThreshold(), "the tracker's low threshold");
        assertEquals(0, s.threads());
        assertEquals(new OutputSelection(base.resolve("stream-out"), true, true, true,
                AnnotatedVideoSink.Options.defaults()), s.outputs());
    }

    @Test
    void repeatedSourcesGetUniqueNames() throws Exception {
        StreamSetup s = StreamConfigFile.load(write("dup/app.yml", """
                sources:
                  - uri: a/vtest.avi
                  - uri: b/vtest.avi
                primary-gie: {model: m.onnx}
                """));
        assertEquals(List.of("vtest", "vtest-2"), s.sources().stream().map(SourceSpec::name).toList());
    }

    @Test
    void unknownKeyNamesFileLineKeyAndGroup() throws Exception {
        ConfigException e = fails("""
                sources:
                  - uri: vtest.avi
                primary-gie:
                  model: m.onnx
                streammux:
                  queue-frames: 4
                  batch-size: 4
                """);
        assertContains(e.getMessage(), "app.yml", ":7:", "'batch-size'", "streammux");
        assertContains(e.getMessage(), "batched-push-timeout", "queue-frames");

        ConfigException inSource = fails("""
                sources:
                  - uri: a.avi
                  - uri: b.avi
                    loop: 2
                primary-gie:
                  model: m.onnx
                """);
        assertContains(inSource.getMessage(), "app.yml", ":4:", "'loop'", "sources[1]");

        ConfigException topLevel = fails("""
                sources: [{uri: a.avi}]
                primary-gie: {model: m.onnx}
                trackers: {enable: false}
                """);
        assertContains(topLevel.getMessage(), "app.yml", ":3:", "'trackers'");
    }

    @Test
    void wrongTypeNamesTheLine() throws Exception {
        ConfigException e = fails("""
                sources:
                  - uri: vtest.avi
                primary-gie:
                  model: m.onnx
                  interval: "abc"
                """);
        assertContains(e.getMessage(), "app.yml", ":5:", "primary-gie");
        ConfigException list = fails("""
                sources: vtest.avi
                primary-gie:
                  model: m.onnx
                """);
        assertContains(list.getMessage(), "app.yml", ":1:", "sources");
    }

    @Test
    void brokenYamlNamesTheLine() throws Exception {
        ConfigException e = fails("""
                sources:
                  - uri: vtest.avi
                primary-gie:
                  model: [m.onnx
                """);
        assertContains(e.getMessage(), "app.yml");
        assertTrue(e.getMessage().matches("(?s).*app\\.yml:\\d+:\\d+: .*"), e.getMessage());
    }

    @Test
    void duplicateKeyIsAnError() throws Exception {
        ConfigException e = fails("""
                sources: [{uri: a.avi}]
                primary-gie:
                  model: m.onnx
                  interval: 2
                  interval: 3
                """);
        assertContains(e.getMessage(), "app.yml", "interval");
    }

    @Test
    void requiredParts() throws Exception {
        assertContains(fails("""
                primary-gie:
                  model: m.onnx
                """).getMessage(), "app.yml", "'sources'");
        assertContains(fails("""
                sources: []
                primary-gie: {model: m.onnx}
                """).getMessage(), "app.yml", "'sources'");
        assertContains(fails("""
                sources: [{uri: a.avi}]
                """).getMessage(), "app.yml", "primary-gie.model");
        assertContains(fails("""
                sources: [{uri: a.avi}]
                primary-gie: {interval: 2}
                """).getMessage(), "app.yml", "primary-gie.model");
        assertContains(fails("""
                sources: [{name: cam}]
                primary-gie: {model: m.onnx}
                """).getMessage(), "app.yml", "sources[0]", "'uri'");
        assertContains(fails("").getMessage(), "app.yml");
        assertContains(fails("# nothing but a comment\n").getMessage(), "app.yml");
        Path missing = dir.resolve("nope.yml");
        ConfigException e = assertThrows(ConfigException.class, () -> StreamConfigFile.load(missing));
        assertContains(e.getMessage(), "nope.yml", "no such file");
    }

    @Test
    void inconsistentSettings() throws Exception {
        assertContains(fails("""
                sources: [{uri: a.avi}]
                primary-gie: {model: m.onnx}
                tracker: {enable: false}
                sinks: {mot: true}
                """).getMessage(), "app.yml", "mot", "tracker");
        assertContains(fails("""
                sources: [{uri: a.avi}]
                primary-gie: {model: m.onnx, interval: 3}
                tracker: {enable: false}
                """).getMessage(), "app.yml", "interval 3", "tracker");
        assertContains(fails("""
                sources: [{uri: a.avi}]
                primary-gie: {model: m.onnx, interval: 0}
                """).getMessage(), "app.yml", "interval");
        assertContains(fails("""
                sources: [{uri: a.avi}]
                primary-gie: {model: m.onnx}
                tracker: {low-threshold: 0.9}
                """).getMessage(), "app.yml", "tracker", "lowThreshold");
        assertContains(fails("""
                sources: [{uri: a.avi}]
                primary-gie: {model: m.onnx}
                osd: {mask-alpha: 1.5}
                """).getMessage(), "app.yml", "mask-alpha");
        assertContains(fails("""
                sources: [{uri: a.avi, name: "my cam"}]
                primary-gie: {model: m.onnx}
                """).getMessage(), "app.yml", "my cam");
        assertContains(fails("""
                sources: [{uri: a.avi, loops: -1}]
                primary-gie: {model: m.onnx}
                """).getMessage(), "app.yml", "loops");
        assertContains(fails("""
                sources: [{uri: a.avi}]
                primary-gie: {model: m.onnx, pre-cluster-threshold: 2}
                """).getMessage(), "app.yml", "threshold");
    }

    @Test
    void trackerOffTurnsMotOffByDefault() throws Exception {
        StreamSetup s = StreamConfigFile.load(write("off/app.yml", """
                sources: [{uri: a.avi}]
                primary-gie: {model: m.onnx}
                tracker: {enable: false}
                sinks: {video: {enable: false}}
                """));
        assertNull(s.options().tracker());
        assertFalse(s.outputs().mot());
        assertFalse(s.outputs().video());
        assertTrue(s.outputs().jsonl());
        assertEquals(0.5, s.scoreThreshold(), "no tracker: 0.5");
    }
}
