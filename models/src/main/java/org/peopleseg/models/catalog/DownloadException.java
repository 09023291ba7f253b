package org.peopleseg.models.catalog;

import java.io.IOException;

/**
 * A download that did not produce a verified file: the URL and what went wrong, in one line. Nothing is left under
 * the final name; a {@code .part} file is kept only where it can be resumed.
 */
public final class DownloadException extends IOException {
    private final String url;
    private final String problem;

    DownloadException(String url, String problem, Throwable cause) {
        super(url + ": " + problem, cause);
        this.url = url;
        this.problem = problem;
    }

    DownloadException(String url, String problem) {
        this(url, problem, null);
    }

    public String url() {
        return url;
    }

    public String problem() {
        return problem;
    }
}
