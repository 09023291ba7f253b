package org.peopleseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.peopleseg.core.render.ImageWriter;
import org.peopleseg.models.catalog.CatalogEntry;
import org.peopleseg.models.catalog.ModelCache;
import org.peopleseg.video.source.FrameSource;
import org.peopleseg.video.source.FrameSources;
import org.peopleseg.video.source.SourceException;
import org.peopleseg.video.source.SourceSpec;
import org.peopleseg.video.source.VideoFrame;

/**
 * Real input for the demo: vtest.avi (OpenCV's pedestrian video) from the shared data or the cache, else pulled
 * like a model; a few COCO person photos from the shared data; drawn street scenes only when there is nothing real.
 */
final class DemoInputs {
    static final String VIDEO_ENTRY = "vtest.avi";

    private DemoInputs() {}

    /** The video to stream, or null (the reason printed). */
    static Path video(ModelCache cache, Path shared, boolean offline, PrintWriter out, PrintWriter err) {
        CatalogEntry entry = ModelCatalogAccess.catalog().find(VIDEO_ENTRY).orElseThrow();
        Path fromShared = shared == null ? null : shared.resolve("data/vtest").resolve(entry.file());
        if (fromShared != null && Files.isRegularFile(fromShared)) {
            return say(out, "Video: " + fromShared + " (" + entry.description() + ")", fromShared);
        }
        Path cached = cache.file(entry);
        if (Files.isRegularFile(cached)) {
            return say(out, "Video: " + cached + " (cached)", cached);
        }
        if (offline) {
            return say(out, "Video: none (--offline and no vtest.avi in the shared data)", null);
        }
        out.println("Video: pulling " + entry.name() + " (" + Units.megabytes(entry.bytes()) + ", once) into "
                + cache.dir());
        out.flush();
        try {
            return ModelsPullCommand.pull(entry, cache, null, err).file();
        } catch (CliException e) {
            return say(out, "Video: none (" + e.getMessage() + ")", null);
        }
    }

    /** Up to {@code n} COCO val2017 photos with people from the shared data. */
    static List<Path> photos(Path shared, int n) throws IOException {
        Path dir = shared == null ? null : shared.resolve("data/coco-person/images");
        if (dir == null || !Files.isDirectory(dir) || n <= 0) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(InputFiles::isImageName).sorted().limit(n).toList();
        }
    }

    /** Frames {@code wanted} (0-based) of a video saved as PNG into {@code dir}, for still overlays. */
    static List<Path> videoFrames(Path video, List<Long> wanted, Path dir) throws IOException {
        List<Path> saved = new ArrayList<>();
        long last = wanted.stream().mapToLong(Long::longValue).max().orElse(-1);
        try (FrameSource src = FrameSources.open(SourceSpec.of(video.toString()), w -> { })) {
            for (VideoFrame f; saved.size() < wanted.size() && (f = src.read()) != null && f.index() <= last; ) {
                if (wanted.contains(f.index())) {
                    Path p = dir.resolve(String.format("vtest-frame-%04d.png", f.index() + 1));
                    ImageWriter.write(f.image(), p);
                    saved.add(p);
                }
            }
        } catch (SourceException e) {
            throw new IOException(video + ": " + e.getMessage(), e);
        }
        return saved;
    }

    /** Drawn street scenes, the last fallback. */
    static List<Path> drawn(int n, int width, int height, Path dir) throws IOException {
        List<Path> drawn = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Path f = dir.resolve("synthetic-" + i + ".png");
            ImageWriter.write(SyntheticImages.scene(width, height, i), f);
            drawn.add(f);
        }
        return drawn;
    }

    /**
     * The shared data folder: {@code $PEOPLESEG_SHARED} when set (only it: an explicit setting is not second-guessed),
     * else the {@code peopleseg.shared} property, {@code ../shared} next to the installation ({@code peopleseg.home},
     * set by bin/peopleseg) or {@code ../shared} from the working directory; null if none exists.
     */
    static Path sharedRoot() {
        List<Path> roots = new ArrayList<>();
        String env = System.getenv("PEOPLESEG_SHARED");
        if (env != null && !env.isBlank()) {
            roots.add(Path.of(env));
        } else {
            String prop = System.getProperty("peopleseg.shared");
            if (prop != null && !prop.isBlank()) {
                roots.add(Path.of(prop));
            }
            String home = System.getProperty("peopleseg.home");
            if (home != null && !home.isBlank()) {
                roots.add(Path.of(home).resolve("../shared"));
            }
            roots.add(Path.of("../shared"));
        }
        for (Path root : roots) {
            if (Files.isDirectory(root.resolve("data")) || Files.isDirectory(root.resolve("models"))) {
                return root.normalize();
            }
        }
        return null;
    }

    private static <T> T say(PrintWriter out, String line, T value) {
        out.println(line);
        out.flush();
        return value;
    }
}
