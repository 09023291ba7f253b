package org.peopleseg.models.catalog;

/** A pull that could not give a verified file and its packages: one line naming the URL or file, and what to do. */
public final class PullException extends Exception {
    PullException(String message, Throwable cause) {
        super(message, cause);
    }
}
