package org.peopleseg.video.pipeline;

import java.io.IOException;
import java.util.List;
import org.peopleseg.video.sink.FrameSink;
import org.peopleseg.video.source.SourceSpec;

/** Creates a source's sinks when its first frame arrives (an encoder needs the frame size). */
@FunctionalInterface
public interface SinkFactory {
    List<FrameSink> open(SourceSpec source, int width, int height, double fps) throws IOException;

    /** This factory's sinks, then {@code other}'s. */
    default SinkFactory and(SinkFactory other) {
        return (source, width, height, fps) -> {
            List<FrameSink> all = new java.util.ArrayList<>(open(source, width, height, fps));
            all.addAll(other.open(source, width, height, fps));
            return all;
        };
    }
}
