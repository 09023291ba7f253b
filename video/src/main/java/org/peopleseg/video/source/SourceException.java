package org.peopleseg.video.source;

import java.io.IOException;

/** A source that cannot be opened or read any more; the message names the source and the problem. */
public class SourceException extends IOException {
    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
