package org.peopleseg.core.io;

import java.io.IOException;

/** A consumer that may fail with an {@link IOException} — what writing to a stream needs, unlike {@code Consumer}. */
@FunctionalInterface
public interface IOConsumer<T> {
    void accept(T t) throws IOException;
}
