package org.peopleseg.train.run;

/** Training could not go on (a non-finite loss, data that cannot be used, a resume that does not fit). */
public final class TrainingException extends Exception {
    private static final long serialVersionUID = 1L;

    public TrainingException(String message) {
        super(message);
    }

    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
