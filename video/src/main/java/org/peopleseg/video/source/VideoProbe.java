package org.peopleseg.video.source;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * What a video file really contains, found by decoding every frame (a container's frame count can be missing or
 * wrong): for checking the pipeline's MP4 outputs without an ffprobe on the machine.
 *
 * @param framesDecoded video frames that decoded
 * @param durationMs    the container's duration
 */
public record VideoProbe(String format, String codec, int width, int height, double frameRate, long framesDecoded,
                         double durationMs) {

    public static VideoProbe of(Path file) throws SourceException {
        if (!Files.isRegularFile(file)) {
            throw new SourceException(file + ": no such file");
        }
        avutil.av_log_set_level(avutil.AV_LOG_FATAL);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            if (g.getImageWidth() <= 0) {
                throw new SourceException(file + ": no video stream");
            }
            long n = 0;
            Frame f;
            while ((f = g.grabImage()) != null) {
                if (f.image != null) {
                    n++;
                }
            }
            return new VideoProbe(g.getFormat(), g.getVideoCodecName(), g.getImageWidth(), g.getImageHeight(),
                    g.getFrameRate(), n, g.getLengthInTime() / 1000.0);
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new SourceException(file + ": cannot decode: " + FfmpegSource.message(e), e);
        }
    }
}
