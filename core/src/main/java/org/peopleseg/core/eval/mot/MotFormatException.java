package org.peopleseg.core.eval.mot;

import java.io.IOException;

/** A MOTChallenge text file that cannot be read as it is; the message is {@code FILE:LINE: problem}. */
public final class MotFormatException extends IOException {

    public MotFormatException(String source, int line, String problem) {
        super(source + ":" + line + ": " + problem);
    }
}
