package org.peopleseg.cli;

/**
 * An expected failure of a command, with the message the user sees (it may span several lines, e.g. every problem
 * of a checkpoint) and the exit code. Printed without a stack trace.
 */
public final class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** An error that stops the command before it does its job: exit code {@link Main#ERROR}. */
    public static CliException error(String message) {
        return new CliException(Main.ERROR, message);
    }

    /**
     * A failure whose one line was already printed (by a command that had to print it before a Ctrl-C'd JVM exits):
     * {@link Main} prints nothing more.
     */
    static CliException reported(int exitCode) {
        return new CliException(exitCode, null);
    }

    public int exitCode() {
        return exitCode;
    }
}
