package org.peopleseg.video.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peopleseg.video.config.StreamSetup;

/** Source strings: what kind of source they are, their default output names, and invalid options. */
class SourceSpecTest {
    @TempDir
    Path dir;

    @Test
    void filesAndFolders() throws Exception {
        Path file = Files.writeString(dir.resolve("clip.mp4"), "x");
        SourceSpec f = SourceSpec.of(file.toString());
        assertEquals(SourceKind.FILE, f.kind());
        assertFalse(f.live());
        assertEquals("clip", f.name());
        assertEquals(file, f.path());
        assertEquals(1, f.loops());

        SourceSpec missing = SourceSpec.of("vtest.avi");
        assertEquals(SourceKind.FILE, missing.kind(), "a path that does not exist (yet) is a file");
        assertEquals("vtest", missing.name());

        Path folder = Files.createDirectories(dir.resolve("img"));
        SourceSpec images = SourceSpec.of(folder + "/");
        assertEquals(SourceKind.IMAGES, images.kind());
        assertFalse(images.live());
        assertEquals("img", images.name());
        assertEquals(10, images.imageFrameRate());
        assertEquals(25, images.withFrameRate(25).imageFrameRate());

        Path dotted = Files.createDirectories(dir.resolve("PETS09.S2L1"));
        assertEquals("PETS09.S2L1", SourceSpec.of(dotted.toString()).name(), "a folder keeps the dot in its name");

        SourceSpec url = SourceSpec.of("file://" + file);
        assertEquals(SourceKind.FILE, url.kind());
        assertEquals(file, url.path());
    }

    @Test
    void defaultNames() {
        assertEquals("vtest", SourceSpec.of("vtest.avi").name());
        assertEquals("vtest", SourceSpec.of("/data/videos/vtest.avi").name());
        assertEquals("img", SourceSpec.of("../img/").name());
        assertEquals("img", SourceSpec.of("../img").name());
        assertEquals("stream", SourceSpec.of("rtsp://host/path/stream?x=1").name());
        assertEquals("stream", SourceSpec.of("rtsp://user:pw@host:554/path/stream.sdp?x=1&y=2").name());
        assertEquals("video0", SourceSpec.of("/dev/video0").name());
        assertEquals("camera1", SourceSpec.of("camera:1").name());
        assertEquals("my_clip", SourceSpec.of("my clip.mp4").name(), "characters unsafe in file names replaced");
        assertFalse(SourceSpec.of("rtsp://host:554").name().isBlank());
        assertEquals("source", SourceSpec.of("/").name());
    }

    @Test
    void networkSourcesAreLive() {
        for (String uri : List.of("rtsp://10.0.0.5/stream", "http://127.0.0.1:8080/vtest.avi",
                "https://example.org/live.m3u8", "RTSP://HOST/x", "rtmp://host/app/key", "udp://239.0.0.1:1234")) {
            SourceSpec s = SourceSpec.of(uri);
            assertEquals(SourceKind.NETWORK, s.kind(), uri);
            assertTrue(s.live(), uri);
            assertTrue(s.withLive(false).live(), "a network source cannot be made non-live: " + uri);
            assertEquals(SourceSpec.DEFAULT_TIMEOUT_MS, s.timeoutMs());
            assertEquals(SourceSpec.DEFAULT_MAX_RECONNECTS, s.maxReconnects());
        }
    }

    @Test
    void camerasAreLive() {
        SourceSpec dev = SourceSpec.of("/dev/video0");
        assertEquals(SourceKind.CAMERA, dev.kind());
        assertTrue(dev.live());
        assertEquals("/dev/video0", dev.device());
        SourceSpec cam = SourceSpec.of("camera:1");
        assertEquals(SourceKind.CAMERA, cam.kind());
        assertTrue(cam.live());
        assertEquals("/dev/video1", cam.device());
    }

    @Test
    void aFileCanBeMadeLive() {
        SourceSpec s = SourceSpec.of("vtest.avi").withLive(true);
        assertEquals(SourceKind.FILE, s.kind());
        assertTrue(s.live());
        assertFalse(s.withLive(false).live());
    }

    @Test
    void withersKeepTheOtherFields() {
        SourceSpec s = SourceSpec.of("vtest.avi").withName("cam").withLoops(0).withFrameRate(5)
                .withNetwork(2000, 3).withLive(true);
        assertEquals(new SourceSpec("vtest.avi", "cam", SourceKind.FILE, true, 0, 5, 2000, 3), s);
    }

    @Test
    void invalidOptionsAreRejectedWithTheSource() {
        SourceSpec s = SourceSpec.of("vtest.avi");
        assertMessage(() -> s.withLoops(-1), "vtest.avi", "loops");
        assertMessage(() -> s.withFrameRate(-1), "vtest.avi", "frame rate");
        assertMessage(() -> s.withFrameRate(Double.NaN), "vtest.avi", "frame rate");
        assertMessage(() -> s.withFrameRate(Double.POSITIVE_INFINITY), "vtest.avi", "frame rate");
        assertMessage(() -> s.withNetwork(0, 3), "vtest.avi", "timeout");
        assertMessage(() -> s.withNetwork(1000, -1), "vtest.avi", "reconnects");
        assertThrows(NullPointerException.class, () -> new SourceSpec(null, "a", SourceKind.FILE, false, 1, 0, 1, 1));
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String... parts) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        for (String p : parts) {
            assertTrue(x.getMessage().contains(p), () -> "'" + p + "' missing in: " + x.getMessage());
        }
    }

    @Test
    void repeatedNamesGetASuffix() {
        List<SourceSpec> in = List.of(SourceSpec.of("a/vtest.avi"), SourceSpec.of("b/vtest.avi"),
                SourceSpec.of("c/vtest.mp4"), SourceSpec.of("other.avi"));
        List<String> names = StreamSetup.uniqueNames(in).stream().map(SourceSpec::name).toList();
        assertEquals(List.of("vtest", "vtest-2", "vtest-3", "other"), names);
        // a given name that collides with a generated one is still unique
        List<SourceSpec> tricky = List.of(SourceSpec.of("vtest.avi"), SourceSpec.of("x.avi").withName("vtest-2"),
                SourceSpec.of("y/vtest.avi"));
        List<String> n2 = StreamSetup.uniqueNames(tricky).stream().map(SourceSpec::name).toList();
        assertEquals(3, n2.stream().distinct().count(), n2.toString());
    }
}
