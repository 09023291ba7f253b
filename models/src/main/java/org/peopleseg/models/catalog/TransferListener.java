package org.peopleseg.models.catalog;

/** What a download reports while it runs (a progress bar, log lines). Called on the downloading thread. */
public interface TransferListener {
    /** A request is about to be sent; {@code offset} > 0 when resuming a partial file. */
    default void started(String url, long offset, long total) {}

    /** Bytes of the file on disk so far, of {@code total} (0 when unknown). */
    default void progress(long done, long total) {}

    /** A message worth a line of its own (a resumed connection, a hash check). */
    default void message(String text) {}

    /** The transfer ended, successfully or not. */
    default void finished() {}

    TransferListener NONE = new TransferListener() { };
}
