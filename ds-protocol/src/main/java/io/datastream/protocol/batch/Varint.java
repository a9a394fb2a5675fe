package io.datastream.protocol.batch;

/** Unsigned LEB128 varints, as used by the record framing of the batch payload. */
final class Varint {
    private Varint() {
    }

    /** Writes {@code v} into {@code out} at {@code pos}; returns the position after it. */
    static int put(byte[] out, int pos, long v) {
        while ((v & ~0x7FL) != 0) {
            out[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[pos++] = (byte) v;
        return pos;
    }

    /** Bytes {@link #put} writes for {@code v} (1 to 10; {@code v} is read as unsigned). */
    static int size(long v) {
        // A line's gap and length (1 and 2 bytes) without a call: the agent runs C1 only, where
        // numberOfLeadingZeros is a call, twice per record.
        if ((v & ~0x7FL) == 0) {
            return 1;
        }
        if ((v & ~0x3FFFL) == 0) {
            return 2;
        }
        return (63 - Long.numberOfLeadingZeros(v)) / 7 + 1; // highest set bit / 7 + 1, without a loop
    }
}
