package org.peopleseg.video.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.peopleseg.video.pipeline.SinkFactory;
import org.peopleseg.video.source.SourceSpec;

/**
 * The standard outputs of a source named NAME, in one folder: {@code NAME.mp4} (annotated H.264 video),
 * {@code NAME.jsonl} (per-frame metadata) and {@code NAME.mot.txt} (MOT tracks), each switchable.
 */
public record OutputSelection(Path directory, boolean video, boolean jsonl, boolean mot,
                              AnnotatedVideoSink.Options videoOptions) implements SinkFactory {

    public static OutputSelection all(Path directory) {
        return new OutputSelection(directory, true, true, true, AnnotatedVideoSink.Options.defaults());
    }

    @Override
    public List<FrameSink> open(SourceSpec source, int width, int height, double fps) throws IOException {
        List<FrameSink> sinks = new ArrayList<>(3);
        try {
            if (jsonl) {
                sinks.add(new JsonLinesSink(directory.resolve(source.name() + ".jsonl")));
            }
            if (mot) {
                sinks.add(new MotTracksSink(directory.resolve(source.name() + ".mot.txt")));
            }
            if (video) {
                sinks.add(new AnnotatedVideoSink(directory.resolve(source.name() + ".mp4"), width, height, fps,
                        source.live(), videoOptions));
            }
        } catch (IOException | RuntimeException e) {
            for (FrameSink s : sinks) {
                try {
                    // discard, not publish: empty files would replace a previous run's outputs
                    if (s instanceof TextLinesSink text) {
                        text.discard();
                    } else {
                        s.close();
                    }
                } catch (IOException ignored) {
                    // already failing
                }
            }
            throw e;
        }
        return sinks;
    }
}
