package io.datastream.protocol;

/** A batch could not be decoded: bad magic or version, CRC mismatch, bad lengths, codec failure. */
public final class CorruptBatchException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public CorruptBatchException(ErrorCode code, String message) {
        super(code, message);
    }

    public CorruptBatchException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
