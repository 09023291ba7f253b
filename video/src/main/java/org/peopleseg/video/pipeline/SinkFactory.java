package org.peopleseg.video.pipeline;

import java.io.IOException;
import java.util.List;
import org.peopleseg.video.sink.FrameSink;
import org.peopleseg.video.source.SourceSpec;

/** Creates a source's sinks when its first frame arrives (an encoder needs the frame size). */
@FunctionalInterface
public interface SinkFactory {
    List<FrameSink> open(SourceSpec source, int width, int height, double fps) throws IOException;
}
