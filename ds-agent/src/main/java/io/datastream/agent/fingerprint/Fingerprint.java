package io.datastream.agent.fingerprint;

/**
 * A file's content fingerprint: the xxHash64 (seed 0) of its first {@code length} bytes. A
 * full fingerprint covers {@code files.fingerprintBytes} bytes; a short one covers a whole file
 * that was shorter (see docs/agent.md, "Short files").
 *
 * @param value  the checksum
 * @param length how many leading bytes it covers (> 0)
 */
public record Fingerprint(long value, int length) {
    public Fingerprint {
        if (length <= 0) {
            throw new IllegalArgumentException("fingerprint length must be > 0, was " + length);
        }
    }

    /** The same leading bytes hashed with another seed: the stream id used when a fingerprint collides. */
    public static long salted(byte[] head, int length, int salt) {
        return XxHash64.hash(head, 0, length, salt);
    }

    @Override
    public String toString() {
        return Long.toHexString(value) + "/" + length;
    }
}
