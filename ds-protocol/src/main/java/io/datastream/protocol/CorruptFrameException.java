package io.datastream.protocol;

/** A frame could not be decoded: too large, unknown type, truncated or malformed body. */
public final class CorruptFrameException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public CorruptFrameException(ErrorCode code, String message) {
        super(code, message);
    }
}
