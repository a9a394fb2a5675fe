package io.datastream.router.channel.filequeue;

/** A segment whose header is not a version 1 segment header: nothing in it can be read. */
public final class CorruptSegmentException extends Exception {
    public CorruptSegmentException(String message) {
        super(message);
    }
}
