package io.datastream.deploy.launch;

import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Turns a startup failure into the one line the user reads. */
public final class Failures {
    private Failures() {
    }

    /**
     * One line for {@code failure}: our own {@link StartupException}'s message as it is; for the
     * failures a user causes (a port in use, a path that is a file or cannot be written, a missing
     * file) the cause and the fix; otherwise the deepest message in the cause chain.
     */
    public static String oneLine(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StartupException) {
                return t.getMessage();
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return "a port this command listens on is already in use (" + t.getMessage()
                        + "): stop the program holding it, or set another port (see --help and the port keys of the config)";
            }
            if (t instanceof FileAlreadyExistsException || t instanceof NotDirectoryException) {
                return path(t) + " exists but is not a directory: move it away or choose another directory";
            }
            if (t instanceof AccessDeniedException) {
                return "no permission for " + path(t) + ": run as a user that may read and write it, or choose another path";
            }
            if (t instanceof NoSuchFileException) {
                return path(t) + " does not exist";
            }
        }
        Throwable deepest = failure;
        String message = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            deepest = t;
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        String line = message != null ? message : deepest.getClass().getSimpleName();
        return line.replace('\n', ' ');
    }

    private static String path(Throwable t) {
        return t instanceof FileSystemException f && f.getFile() != null ? f.getFile() : String.valueOf(t.getMessage());
    }
}
