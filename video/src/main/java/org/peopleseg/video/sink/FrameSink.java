package org.peopleseg.video.sink;

import java.io.IOException;
import java.nio.file.Path;
import org.peopleseg.video.pipeline.FrameResult;

/**
 * Receives a source's processed frames, in order, on the pipeline's sink thread. {@link #close()} finishes the
 * output so that it is complete and valid (also after Ctrl-C); outputs appear under their final name only then.
 */
public interface FrameSink extends AutoCloseable {

    void write(FrameResult result) throws IOException;

    /** The file this sink publishes, or null. */
    default Path file() {
        return null;
    }

    /** Finishes and publishes the output. */
    @Override
    void close() throws IOException;
}
