package org.peopleseg.cli;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * One-line descriptions of exceptions for users: the file and what is wrong with it, never a stack trace. The
 * libraries' messages already name their files ("x.pth: not a PyTorch checkpoint ..."); the JDK's file-system
 * exceptions only carry the path, so they get their reason spelt out here.
 */
final class ErrorMessages {
    private ErrorMessages() {}

    static String describe(Throwable t) {
        if (t instanceof UncheckedIOException && t.getCause() != null) {
            return describe(t.getCause());
        }
        if (t instanceof FileSystemException f) {
            return fileProblem(f);
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName() + (t.getCause() != null ? ": " + describe(t.getCause()) : "");
        }
        return oneLine(message);
    }

    /** Whether the exception looks like a bug rather than a problem with a file or an argument. */
    static boolean isUnexpected(Throwable t) {
        return t instanceof NullPointerException || t instanceof ClassCastException
                || t instanceof ArrayIndexOutOfBoundsException || t instanceof UnsupportedOperationException;
    }

    private static String fileProblem(FileSystemException f) {
        String file = f.getFile() != null ? f.getFile() : "?";
        String reason = f.getReason();
        if (f instanceof NoSuchFileException) {
            return file + ": " + (reason != null ? reason : "no such file or directory");
        }
        if (f instanceof AccessDeniedException) {
            return file + ": permission denied" + (reason != null ? " (" + reason + ")" : "");
        }
        if (f instanceof FileAlreadyExistsException) {
            return file + ": already exists";
        }
        if (f instanceof NotDirectoryException) {
            return file + ": not a directory";
        }
        if (f instanceof DirectoryNotEmptyException) {
            return file + ": directory not empty";
        }
        return oneLine(f.getMessage());
    }

    /** The first line of a message, marking that more was cut. */
    static String oneLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl).stripTrailing() + " [...]";
    }
}
