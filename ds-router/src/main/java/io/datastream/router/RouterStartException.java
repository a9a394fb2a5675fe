package io.datastream.router;

/** The router could not start (port in use, unreadable TLS files, ...); nothing is left running. */
public final class RouterStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RouterStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
