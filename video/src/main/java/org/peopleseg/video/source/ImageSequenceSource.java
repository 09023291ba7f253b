package org.peopleseg.video.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.peopleseg.core.image.ImageReader;

/**
 * A folder of images played as a video, in file-name order (frame_0001.jpg, frame_0002.jpg, ... as MOT datasets
 * ship them). A corrupt image is skipped with a warning and keeps its place in the numbering, so frame numbers
 * still match the dataset's ground truth.
 */
public final class ImageSequenceSource implements FrameSource {
    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff");

    private final SourceSpec spec;
    private final Consumer<String> warnings;
    private final List<Path> files;
    private int next;
    private int playsDone;
    private long index;
    private long skipped;
    private long framesThisPlay;

    private ImageSequenceSource(SourceSpec spec, Consumer<String> warnings, List<Path> files) {
        this.spec = spec;
        this.warnings = warnings;
        this.files = files;
    }

    public static ImageSequenceSource open(SourceSpec spec, Consumer<String> warnings) throws SourceException {
        Path dir = spec.path();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(Files::isRegularFile).filter(ImageSequenceSource::isImage).sorted().toList();
        } catch (IOException e) {
            throw new SourceException(spec.uri() + ": cannot list the folder: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new SourceException(spec.uri() + ": no images (" + String.join(", ", EXTENSIONS) + ") in the folder");
        }
        return new ImageSequenceSource(spec, warnings, files);
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    @Override
    public VideoFrame read() {
        while (true) {
            if (next == files.size()) {
                playsDone++;
                // a play without one readable image ends the source (--loop 0 would otherwise spin forever)
                if ((spec.loops() != 0 && playsDone >= spec.loops()) || framesThisPlay == 0) {
                    return null;
                }
                next = 0;
                framesThisPlay = 0;
            }
            Path file = files.get(next++);
            long frameIndex = index++;
            try {
                var image = ImageReader.read(file);
                framesThisPlay++;
                return new VideoFrame(frameIndex, frameIndex * 1000.0 / spec.imageFrameRate(), image, System.nanoTime());
            } catch (IOException | RuntimeException e) {
                skipped++;
                warnings.accept(file + ": skipped: " + FfmpegSource.message(e));
            }
        }
    }

    /** The images, in play order. */
    public List<Path> files() {
        return files;
    }

    @Override
    public double frameRate() {
        return spec.imageFrameRate();
    }

    @Override
    public long skippedFrames() {
        return skipped;
    }

    @Override
    public void close() {
        // nothing held between frames
    }
}
