package io.datastream.router.route;

/** A rule expression or topic template does not compile; {@link #position()} is 1-based. */
public final class ExpressionException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int position;

    public ExpressionException(int position, String message) {
        super("at position " + position + ": " + message);
        this.position = position;
    }

    public int position() {
        return position;
    }
}
