package org.peopleseg.video.source;

import java.util.function.Consumer;

/** Opens the right {@link FrameSource} for a {@link SourceSpec}. */
public final class FrameSources {
    private FrameSources() {}

    /**
     * Opens {@code spec}: FFmpeg for files, network streams (with reconnection) and cameras, the image reader for
     * folders; a file marked live is paced at its frame rate.
     */
    public static FrameSource open(SourceSpec spec, Consumer<String> warnings) throws SourceException {
        return switch (spec.kind()) {
            case FILE -> spec.live() ? new PacedSource(FfmpegSource.open(spec, warnings), SourceSpec.DEFAULT_IMAGE_FPS)
                    : FfmpegSource.open(spec, warnings);
            case IMAGES -> spec.live() ? new PacedSource(ImageSequenceSource.open(spec, warnings), spec.imageFrameRate())
                    : ImageSequenceSource.open(spec, warnings);
            case NETWORK -> ReconnectingSource.open(spec, () -> FfmpegSource.open(spec, warnings), warnings);
            case CAMERA -> FfmpegSource.open(spec, warnings);
        };
    }
}
