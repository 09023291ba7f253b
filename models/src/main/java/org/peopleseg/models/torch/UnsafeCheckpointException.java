package org.peopleseg.models.torch;

import java.io.IOException;

/**
 * Thrown when a checkpoint asks for something this reader will not do: call a Python global that is
 * not on its allow-list (for example {@code os.system}), or use a pickle feature that constructs
 * arbitrary objects.
 *
 * <p>It is a separate type from a plain {@link IOException} (a truncated or corrupt file) because it
 * means the file is either malicious or holds more than plain tensors and dicts, and a caller may want
 * to report that differently. Nothing from such a file has been executed: the refusal happens when the
 * offending opcode is read.
 */
public final class UnsafeCheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnsafeCheckpointException(String message) {
        super(message);
    }
}
