package io.datastream.deploy.launch;

/** A startup failure whose message is already the one line the user reads: cause and fix. */
public final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
