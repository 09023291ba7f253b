package org.peopleseg.video.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.peopleseg.core.io.AtomicFiles;

/**
 * A text output written line by line into a hidden temporary file and published under its name on close, so a
 * reader never sees a half-written line. Subclasses say what lines a frame makes.
 */
abstract class TextLinesSink implements FrameSink {
    private final AtomicFiles.Pending pending;
    private final OutputStream out;
    private boolean closed;

    TextLinesSink(Path file) throws IOException {
        this.pending = AtomicFiles.open(file);
        this.out = pending.stream();
    }

    final void writeLine(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }

    @Override
    public final Path file() {
        return pending.target();
    }

    /** Deletes what was written instead of publishing it (the outputs could not all be created). */
    final void discard() throws IOException {
        if (!closed) {
            closed = true;
            pending.close();
        }
    }

    @Override
    public final void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (pending) {
            pending.commit();
        }
    }
}
